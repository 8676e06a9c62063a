"""Query arguments checked against one endpoint's facts (API §8, §9.8, §9.9, §15 item 13).

Includes, typed filters, ``selects`` and the nested sort of price lists.

One job: turn a user's arguments into checked values (or a ``ClientValueError`` naming
the argument, the value and what is allowed) before anything is sent. Encoding to
bracket pairs stays in ``_protocol.encode_list_query``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import Enum

from clopos_async._api import Endpoint, Param, SortSyntax, ValueType
from clopos_async._errors import ClientValueError
from clopos_async._protocol import FilterValue, encode_list_query
from clopos_async._validation import MAX_WIRE_INT, check_filters, check_order, shown

#: A ``selects`` field name: the API takes a comma list, so no comma or space inside one.
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]{0,63}")


def _reject(name: str, value: object, allowed: str) -> ClientValueError:
    return ClientValueError(f"{name}={shown(value)} is not allowed: {allowed}")


def _one_of(choices: Iterable[object]) -> str:
    return "one of " + ", ".join(repr(choice) for choice in choices)


def _plain(value: object) -> object:
    """An enum member as its wire value (``ProductType.DISH`` -> ``"DISH"``)."""
    return value.value if isinstance(value, Enum) else value


def check_relations(endpoint: Endpoint, include: object) -> tuple[str, ...]:
    """``include``: a relation name or an iterable of them, each among the endpoint's.

    Returns:
        The relations in the order given, duplicates dropped.
    """
    if include is None:
        return ()
    if isinstance(include, str):
        items: list[object] = [include]
        names = ["include"]
    elif isinstance(include, (bytes, bytearray, Mapping)) or not isinstance(include, Iterable):
        raise _reject("include", include, "a relation name or an iterable of them is required")
    else:
        items = list(include)
        names = [f"include[{index}]" for index in range(len(items))]
    for name, item in zip(names, items, strict=True):
        if not (isinstance(item, str) and item in endpoint.includes):
            raise _reject(name, item, _one_of(endpoint.includes) + " is required")
    return tuple(dict.fromkeys(str(item) for item in items))


def check_filter_value(fact: Param, name: str, value: object) -> FilterValue:
    """One filter value of the type and choices the facts give (API §8 ``filters[N][1][M]``).

    Array filters (``INTS``/``STRS``) take one value or an iterable of them and always
    travel as an array; a single ``INT`` takes an int >= 0; ``BOOL`` a bool.
    """
    if fact.type is ValueType.BOOL:
        if isinstance(value, bool):
            return value
        raise _reject(name, value, "True or False is required")
    if fact.type in (ValueType.INTS, ValueType.STRS):
        return tuple(_members(fact, name, value))
    return _scalar(fact, name, value)


def _members(fact: Param, name: str, value: object) -> list[str | int]:
    scalar = not isinstance(value, Iterable) or isinstance(value, (str, Enum))
    if isinstance(value, (bytes, bytearray, Mapping)):
        raise _reject(name, value, f"{_kind(fact)} or a non-empty list of them is required")
    items = [value] if scalar else list(value)  # type: ignore[call-overload]
    if not items:
        raise _reject(name, value, f"{_kind(fact)} or a non-empty list of them is required")
    return [_scalar(fact, name if scalar else f"{name}[{i}]", v) for i, v in enumerate(items)]


def _scalar(fact: Param, name: str, value: object) -> str | int:
    plain = _plain(value)
    integral = fact.type in (ValueType.INT, ValueType.INTS)
    if integral:
        good = isinstance(plain, int) and not isinstance(plain, bool)
        good = good and 0 <= plain <= MAX_WIRE_INT  # type: ignore[operator]
    else:
        good = isinstance(plain, str) and bool(plain.strip())
    if good and (not fact.choices or plain in fact.choices):
        return plain  # type: ignore[return-value]
    raise _reject(name, value, _kind(fact) + " is required")


def _kind(fact: Param) -> str:
    if fact.choices:
        return _one_of(fact.choices)
    if fact.type in (ValueType.INT, ValueType.INTS):
        return "an integer >= 0"
    return "a non-empty string"


def check_fact_filters(
    endpoint: Endpoint, filters: object, shortcuts: Mapping[str, object] = {}
) -> list[tuple[str, FilterValue]]:
    """The generic ``filters`` then the named shortcut arguments (None = not sent).

    Raises:
        ClientValueError: an unknown field, or a value of the wrong type or choice.
    """
    fields = frozenset(fact.name for fact in endpoint.filters)
    checked = []
    # check_filters: the shape, the documented field names, scalar-or-list values.
    for index, (field, raw) in enumerate(check_filters(filters, fields=fields)):
        fact = endpoint.filter(field)
        assert fact is not None  # check_filters admitted only documented fields
        checked.append((field, check_filter_value(fact, f"filters[{index}][1]", raw)))
    for field, value in shortcuts.items():
        fact = endpoint.filter(field)
        if fact is None:  # pragma: no cover - a resource asking for an undocumented filter
            raise TypeError(f"{endpoint.name} has no filter {field!r}")
        if value is not None:
            checked.append((field, check_filter_value(fact, field, value)))
    return checked


def check_selects(value: object) -> str | None:
    """``selects``: field names as a comma string or an iterable -> the comma list (API §8)."""
    if value is None:
        return None
    if isinstance(value, str):
        items: Sequence[object] = value.split(",")
    elif isinstance(value, (bytes, bytearray, Mapping)) or not isinstance(value, Iterable):
        raise _reject("selects", value, "field names, as 'a,b' or an iterable, are required")
    else:
        items = list(value)
    names = [item.strip() if isinstance(item, str) else item for item in items]
    if not names or not all(isinstance(n, str) and _FIELD.fullmatch(n) for n in names):
        raise _reject("selects", value, "field names, as 'a,b' or an iterable, are required")
    return ",".join(dict.fromkeys(str(name) for name in names))


def nested_sort(endpoint: Endpoint, sort: object, order: object) -> list[tuple[str, str]]:
    """``sort[0][0]=field&sort[0][1]=asc|desc`` (API §9.9, §15 item 13); none for None."""
    if endpoint.sort_syntax is not SortSyntax.NESTED:  # pragma: no cover - a wiring mistake
        raise TypeError(f"{endpoint.name} does not take the nested sort")
    direction = check_order(order)  # asc/desc/1/-1, checked even without a sort
    if sort is None:
        return []
    if not (isinstance(sort, str) and sort in endpoint.sorts):
        raise _reject("sort", sort, "None or " + _one_of(endpoint.sorts) + " is required")
    return [("sort[0][0]", sort), ("sort[0][1]", "asc" if direction == 1 else "desc")]


def selects_params(value: object) -> list[tuple[str, str]]:
    """``selects`` checked (``check_selects``), as the query pair it adds; none for None."""
    fields = check_selects(value)
    return [] if fields is None else [("selects", fields)]


def facts_list_query(
    relations: Sequence[str],
    filters: Sequence[tuple[str, FilterValue]] = (),
    tail: Sequence[tuple[str, str]] = (),
) -> Callable[[int, int], list[tuple[str, str]]]:
    """One page's query from checked values: page, limit, includes, filters, then ``tail``."""

    def query(number: int, size: int) -> list[tuple[str, str]]:
        pairs = encode_list_query(page=number, limit=size, include=relations, filters=filters)
        return [*pairs, *tail]

    return query

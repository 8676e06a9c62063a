"""All wire knowledge: field types, timestamp formats, Decimal money, unknown keys.

The models (``_models.py``) carry the wire field names; this module knows how each
field travels (API §10, §11) and keeps decode -> encode lossless: absent keys stay
absent, ``null`` stays ``null``, ``8140`` stays an int and ``8.14`` a float, unknown
keys come back unchanged (DESIGN §2 "Precise rules").

Decoding is on the hot path of every list call, so each model gets, once at import,
a generated structure function that checks exact types inline (no union dispatch,
no per-field calls). When that fast path fails, a slow interpretive pass over the
same field table decodes again and names the exact bad field in a ``DecodeError``
(``data[3].created_at``); it also accepts the rare valid input the fast path does
not (subclasses of int, dict or list).
"""

from __future__ import annotations

import linecache
import re
import reprlib
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from types import NoneType, UnionType
from typing import Any, TypeVar, get_args, get_origin

import attrs
import cattrs

from clopos_async._errors import ClientValueError, DecodeError
from clopos_async._models import (
    CheckCloseEvent,
    ClosedReceipt,
    Modificator,
    Page,
    PaymentMethod,
    ProductInfo,
    Receipt,
    ReceiptMeta,
    ReceiptProduct,
    ReceiptProductMeta,
    ReceiptProperties,
    SaleTypeInfo,
    UserInfo,
    decimal_from_float,
)

__all__ = [
    "clear_caches",
    "converter",
    "decode_closed_receipt",
    "decode_receipt",
    "decode_receipts",
    "encode_payment_methods",
    "format_timestamp",
    "parse_timestamp",
]

M = TypeVar("M")
D = TypeVar("D", date, datetime)

#: Every model that travels on the wire, nested ones included.
WIRE_MODELS: tuple[type, ...] = (
    PaymentMethod,
    ProductInfo,
    ReceiptProductMeta,
    Modificator,
    ReceiptProduct,
    SaleTypeInfo,
    UserInfo,
    CheckCloseEvent,
    ReceiptMeta,
    ReceiptProperties,
    Receipt,
    ClosedReceipt,
)

#: Model attributes that are bookkeeping, not wire fields.
_BOOKKEEPING = frozenset({"extra", "_absent"})

# --- timestamps (API §11: "YYYY-MM-DD HH:mm:ss", venue local time, naive) -----------------------

_TIMESTAMP_LEN = 19
_TIMESTAMP_SEPARATORS = "-- ::"  # text[4::3]: characters 4, 7, 10, 13 and 16
_DATE_LEN = 10
_DATE_SEPARATORS = "--"  # text[4::3]: characters 4 and 7


def parse_timestamp(value: str) -> datetime:
    """Parse a strict ``YYYY-MM-DD HH:mm:ss`` wire timestamp into a naive datetime.

    Raises ``ValueError`` for anything else (other lengths, a ``T`` separator,
    offsets, fractions, ISO week dates, impossible dates).
    """
    parsed = _strict_iso(value, _TIMESTAMP_LEN, _TIMESTAMP_SEPARATORS, datetime.fromisoformat)
    if parsed is None:
        raise ValueError(f"expected a 'YYYY-MM-DD HH:mm:ss' timestamp, got {_show(value)}")
    return parsed


def parse_date(value: str) -> date:
    """Parse a strict ``YYYY-MM-DD`` wire date (``shift_date``)."""
    parsed = _strict_iso(value, _DATE_LEN, _DATE_SEPARATORS, date.fromisoformat)
    if parsed is None:
        raise ValueError(f"expected a 'YYYY-MM-DD' date, got {_show(value)}")
    return parsed


def _strict_iso(
    value: object, length: int, separators: str, parse: Callable[[str], D]
) -> D | None:
    # Fixed separators first: fromisoformat alone would also take week dates, "T", offsets.
    if type(value) is str and len(value) == length and value[4::3] == separators:
        try:
            return parse(value)
        except ValueError:
            return None  # well-formed but impossible, e.g. 2025-02-30
    return None


def format_timestamp(value: datetime) -> str:
    """Format a naive datetime as ``YYYY-MM-DD HH:mm:ss`` (microseconds are dropped)."""
    if not isinstance(value, datetime) or value.utcoffset() is not None:
        raise ClientValueError(
            f"timestamp={value!r} is not allowed: a naive datetime (venue local time) is required"
        )
    return value.isoformat(" ", "seconds")


def format_date(value: date) -> str:
    """Format a date as ``YYYY-MM-DD``."""
    return value.isoformat()


# --- money (API §11: plain JSON numbers, two scales in the wild) ---------------------------------


def money_to_wire(value: Decimal) -> int | float:
    """The JSON number for a Decimal: exponent 0 -> int (8140), anything else -> float (8.14).

    Decoded floats never have exponent 0 (see ``decimal_from_float``).
    """
    if value.as_tuple().exponent == 0:
        return int(value)
    return float(value)


def encode_payment_methods(methods: Sequence[PaymentMethod]) -> list[dict[str, Any]]:
    """The ``payment_methods`` of a close body: ``{id, name, amount}`` each (API §9.12)."""
    return [
        {"id": method.id, "name": method.name, "amount": money_to_wire(method.amount)}
        for method in methods
    ]


# --- error text --------------------------------------------------------------------------------

# Bounded in length and depth: a wrong value may be a huge or deeply nested JSON value.
_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxlevel = 2
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = 40


def _show(value: object) -> str:
    """A short description of a wire value for an error message (receipts hold no secrets)."""
    return f"{type(value).__name__} {_SHORT_REPR.repr(value)}"


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


# --- field kinds: one per wire type ------------------------------------------------------------


class _Invalid(Exception):
    """Raised inside generated code; the slow path then finds and names the problem."""


@attrs.frozen
class Kind:
    """How one wire type is checked and converted, on both decode paths, and encoded.

    ``fast`` holds ``(test, statement)`` branches for generated code, where ``v`` is
    the wire value and ``c`` its class; ``slow`` converts a non-null value or raises
    DecodeError; ``dump`` turns a non-null model value back into JSON (None = as is).
    """

    label: str
    fast: tuple[tuple[str, str], ...]
    slow: Callable[[Any, str], Any]
    dump: Callable[[Any], Any] | None = None
    names: Mapping[str, Any] = attrs.field(factory=dict)
    exact: type | None = None


def _fail(kind: str, value: object, path: str) -> DecodeError:
    return DecodeError(f"expected {kind}, got {_show(value)}", path=path)


def _slow_int(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail("an integer", value, path)
    return int(value)


def _slow_str(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise _fail("a string", value, path)
    return str(value)


def _slow_flag(value: Any, path: str) -> bool | int:
    # Booleans; v1 payloads send 0/1 (API §10.2 is_gift), kept as sent.
    if not isinstance(value, int):
        raise _fail("a boolean", value, path)
    return value if type(value) is bool else int(value)


def _finite_float(value: object) -> bool:
    return isinstance(value, float) and value - value == 0.0


def _slow_scalar(value: Any, path: str) -> str | int | float:
    # Fields whose type the docs leave open: kept exactly as sent.
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if _finite_float(value):
        return float(value)
    raise _fail("a string or a number", value, path)


def _slow_money(value: Any, path: str) -> Decimal:
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(int(value))
    if _finite_float(value):
        return decimal_from_float(float(value))
    raise _fail("a number", value, path)


def _slow_timestamp(value: Any, path: str) -> datetime:
    if not isinstance(value, str):
        raise _fail("a 'YYYY-MM-DD HH:mm:ss' timestamp", value, path)
    try:
        return parse_timestamp(str(value))
    except ValueError:
        raise _fail("a 'YYYY-MM-DD HH:mm:ss' timestamp", value, path) from None


def _slow_date(value: Any, path: str) -> date:
    if not isinstance(value, str):
        raise _fail("a 'YYYY-MM-DD' date", value, path)
    try:
        return parse_date(str(value))
    except ValueError:
        raise _fail("a 'YYYY-MM-DD' date", value, path) from None


def _slow_raw_list(value: Any, path: str) -> tuple[Any, ...]:
    if not isinstance(value, (list, tuple)):
        raise _fail("an array", value, path)
    return tuple(value)


def _dump_enum(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


_FINITE_FLOAT = "c is float and v - v == 0.0"  # NaN and infinities fail: x - x is NaN

INT = Kind("an integer", (), _slow_int, exact=int)
STR = Kind("a string", (), _slow_str, exact=str)
FLAG = Kind("a boolean", (("c is int", "pass"),), _slow_flag, exact=bool)
SCALAR = Kind(
    "a string or a number",
    (("c is int", "pass"), (_FINITE_FLOAT, "pass")),
    _slow_scalar,
    exact=str,
)
#: Decimal(n) for the small ints that fill most money fields (zero discounts, taxes, fees):
#: indexing this is ~4x cheaper than calling Decimal. Decimals are immutable, so sharing is safe.
_SMALL_MONEY = tuple(Decimal(n) for n in range(1024))

#: Money values seen recently, one bounded memo per JSON type (1 == 1.0 would collide).
#: Menu prices repeat on every line that sells the item, and Decimal(repr(x)) costs ~6x
#: a dict lookup. Zeros are never stored: 0.0 == -0.0, and the sign must survive.
_INT_MONEY: dict[int, Decimal] = {}
_FLOAT_MONEY: dict[float, Decimal] = {}
_MONEY_MEMO_MAX = 4096


def _int_money(value: int) -> Decimal:
    money = Decimal(value)
    _remember(_INT_MONEY, value, money)
    return money


def _float_money(value: float) -> Decimal:
    if value - value != 0.0:  # NaN and infinities are not JSON numbers
        raise _Invalid
    money = decimal_from_float(value)
    if value:
        _remember(_FLOAT_MONEY, value, money)
    return money


def _remember(memo: dict[Any, Decimal], key: Any, money: Decimal) -> None:
    if len(memo) >= _MONEY_MEMO_MAX:
        memo.clear()
    memo[key] = money


def clear_caches() -> None:
    """Forget memoised money values (benchmarks use this to measure a cold start)."""
    _INT_MONEY.clear()
    _FLOAT_MONEY.clear()


MONEY = Kind(
    "a number",
    (
        (
            "c is int",
            f"v = SMALL[v] if -1 < v < {len(_SMALL_MONEY)} else (IMEMO(v) or IMONEY(v))",
        ),
        ("c is float", "v = FMEMO(v) or FMONEY(v)"),
    ),
    _slow_money,
    money_to_wire,
    {
        "SMALL": _SMALL_MONEY,
        "IMEMO": _INT_MONEY.get,
        "IMONEY": _int_money,
        "FMEMO": _FLOAT_MONEY.get,
        "FMONEY": _float_money,
    },
)
TIMESTAMP = Kind(
    "a timestamp",
    (
        (
            f"c is str and len(v) == {_TIMESTAMP_LEN} and v[4::3] == {_TIMESTAMP_SEPARATORS!r}",
            "v = TS(v)",
        ),
    ),
    _slow_timestamp,
    format_timestamp,
    {"TS": datetime.fromisoformat},
)
DATE = Kind(
    "a date",
    ((f"c is str and len(v) == {_DATE_LEN} and v[4::3] == {_DATE_SEPARATORS!r}", "v = DAY(v)"),),
    _slow_date,
    format_date,
    {"DAY": date.fromisoformat},
)
RAW_LIST = Kind("an array", (("c is list", "v = tuple(v)"),), _slow_raw_list, list)


def enum_kind(enum: type[Enum], base: type) -> Kind:
    """An enum field whose unknown values stay raw (API §11: status 3, "ON_HOLD")."""
    lookup = {member.value: member for member in enum}
    base_kind = INT if base is int else STR

    def slow(value: Any, path: str) -> Any:
        raw = base_kind.slow(value, path)
        return lookup.get(raw, raw)

    test = f"c is {base.__name__}"
    return Kind(
        base_kind.label, ((test, "v = LOOKUP(v, v)"),), slow, _dump_enum, {"LOOKUP": lookup.get}
    )


def object_kind(model: type) -> Kind:
    """A nested wire object (its plan is built first: WIRE_MODELS is ordered inner-first).

    PHP serialises an empty associative array as ``[]``, so a backend may send
    ``"meta": []`` for an empty object. Models with no required field accept it as
    a shared empty instance that encodes back to ``[]``.
    """
    plan = _PLANS[model]
    empty = _php_empty(model)
    if empty is None:
        fast: tuple[tuple[str, str], ...] = (("c is dict", "v = FAST(v)"),)
        names: dict[str, Any] = {"FAST": plan.fast}
    else:
        fast = (("c is dict", "v = FAST(v)"), ("c is list and not v", "v = PHPEMPTY"))
        names = {"FAST": plan.fast, "PHPEMPTY": empty}

    def slow(value: Any, path: str) -> Any:
        if empty is not None and value.__class__ is list and not value:
            return empty
        return structure_slow(model, value, path)

    return Kind("an object", fast, slow, plan.dump, names)


#: The ``_absent`` of an object that came as PHP's ``[]``: its encoder writes ``[]`` back.
_PHP_EMPTY_MARK: frozenset[str] = frozenset({"[]"})


def _php_empty(model: type) -> Any:
    """The shared instance for ``[]``, or None when the model has a required field."""
    if any(field.required for field in _PLANS[model].fields):
        return None
    instance: Any = structure_slow(model, {}, "")
    _slot_setter(model, "_absent")(instance, _PHP_EMPTY_MARK)
    return instance


def objects_kind(model: type) -> Kind:
    """An array of wire objects, decoded to a tuple."""
    plan = _PLANS[model]
    return Kind(
        "an array",
        (("c is list", "v = tuple(map(FAST, v))"),),
        lambda value, path: tuple(structure_slow_list(model, value, path)),
        lambda value: [plan.dump(item) for item in value],
        {"FAST": plan.fast},
    )


# --- the field table, read from the models' annotations ----------------------------------------


@attrs.frozen
class Field:
    """One wire field of a model: its key, kind, and what absence and null mean."""

    name: str
    kind: Kind
    nullable: bool
    required: bool
    default: Callable[[], Any]


def _kind_for(annotation: Any) -> tuple[Kind, bool]:
    """The Kind for a field annotation, and whether it admits None."""
    members = set(get_args(annotation)) if isinstance(annotation, UnionType) else {annotation}
    nullable = NoneType in members
    members.discard(NoneType)
    return _kind_for_members(frozenset(members)), nullable


_SIMPLE_KINDS: dict[frozenset[Any], Kind] = {
    frozenset({int}): INT,
    frozenset({str}): STR,
    frozenset({bool, int}): FLAG,
    frozenset({str, int, float}): SCALAR,
    frozenset({Decimal}): MONEY,
    frozenset({datetime}): TIMESTAMP,
    frozenset({date}): DATE,
}


def _kind_for_members(members: frozenset[Any]) -> Kind:
    simple = _SIMPLE_KINDS.get(members)
    if simple is not None:
        return simple
    enums = [m for m in members if isinstance(m, type) and issubclass(m, Enum)]
    if len(enums) == 1 and len(members) == 2:
        (base,) = members - {enums[0]}
        return enum_kind(enums[0], base)
    (only,) = members
    if attrs.has(only):
        return object_kind(only)
    (item,) = get_args(only)[:1]
    if get_origin(only) is tuple and attrs.has(item):
        return objects_kind(item)
    if get_origin(only) is tuple and item is Any:
        return RAW_LIST
    raise TypeError(f"no wire kind for {only!r}")  # pragma: no cover - a model bug


def fields_of(model: type) -> tuple[Field, ...]:
    """The wire fields of a model, in declaration order."""
    hints = typing.get_type_hints(model)
    table = []
    for attribute in attrs.fields(model):
        if attribute.name in _BOOKKEEPING:
            continue
        kind, nullable = _kind_for(hints[attribute.name])
        table.append(
            Field(
                name=attribute.name,
                kind=kind,
                nullable=nullable,
                required=attribute.default is attrs.NOTHING,
                default=_default_factory(attribute),
            )
        )
    return tuple(table)


def _default_factory(attribute: attrs.Attribute[Any]) -> Callable[[], Any]:
    default: Any = attribute.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        factory: Callable[[], Any] = default.factory
        return factory
    return lambda: default


# --- building instances without __init__ -------------------------------------------------------
# Decoded values are already checked and converted, so the attrs __init__ (and its
# converters for hand-built models) is skipped: slots are written directly.


def _slot_setter(model: type, name: str) -> Callable[[Any, Any], None]:
    return model.__dict__[name].__set__  # type: ignore[no-any-return]


def build(model: type[M], values: Mapping[str, Any], extra: dict[str, Any], absent: Any) -> M:
    """An instance of ``model`` from decoded values, unknown keys and absent keys."""
    instance = object.__new__(model)
    for name, value in values.items():
        _slot_setter(model, name)(instance, value)
    _slot_setter(model, "extra")(instance, extra)
    _slot_setter(model, "_absent")(instance, frozenset(absent))
    return instance


# --- slow path: interpretive, names the bad field ----------------------------------------------


def structure_slow(model: type[M], data: Any, path: str) -> M:
    """Decode ``data`` as ``model`` field by field; DecodeError names the bad field."""
    if not isinstance(data, Mapping):
        raise _fail("an object", data, path)
    values: dict[str, Any] = {}
    absent: list[str] = []
    for field in _PLANS[model].fields:
        field_path = _join(path, field.name)
        if field.name not in data:
            if field.required:
                raise DecodeError("required field is missing", path=field_path)
            values[field.name] = field.default()
            absent.append(field.name)
        else:
            values[field.name] = _slow_value(field, data[field.name], field_path)
    known = _PLANS[model].names
    extra = {key: value for key, value in data.items() if key not in known}
    return build(model, values, extra, absent)


def _slow_value(field: Field, value: Any, path: str) -> Any:
    if value is None:
        if not field.nullable:
            raise DecodeError(f"expected {field.kind.label}, got null", path=path)
        return None
    return field.kind.slow(value, path)


def structure_slow_list(model: type[M], data: Any, path: str) -> list[M]:
    """Decode an array of ``model`` objects; paths look like ``data[3].created_at``."""
    if not isinstance(data, (list, tuple)):
        raise _fail("an array", data, path)
    return [structure_slow(model, item, f"{path}[{i}]") for i, item in enumerate(data)]


# --- fast path and encoder: generated once per model -------------------------------------------
# The fast decoder fills a "layout twin" (a plain class with the model's slots, whose
# attribute stores CPython specialises) and then hands the object its frozen class:
# about 7x cheaper than one object.__setattr__ per field. Where the swap is refused,
# slots are set through their descriptors instead.


_ABSENT = object()
_HELPER_NAME = re.compile(r"\b[A-Z]+\b")
_ABSENT_SETS_MAX = 4096


def _absent_set_maker(
    fields: Sequence[Field],
) -> tuple[dict[int, frozenset[str]], Callable[[int], frozenset[str]]]:
    """A cache of absent-key sets by bitmask (bit i = field i absent), and its filler.

    Real payloads show few patterns (list vs get, v1 vs v2 extras), so instances share
    one frozenset per pattern; the cache is bounded in case they do not.
    """
    cache: dict[int, frozenset[str]] = {}
    names = [field.name for field in fields]

    def make(mask: int) -> frozenset[str]:
        found = frozenset(name for i, name in enumerate(names) if mask >> i & 1)
        if len(cache) < _ABSENT_SETS_MAX:
            cache[mask] = found
        return found

    return cache, make


def _layout_twin(model: type) -> type | None:
    """A plain class with ``model``'s slots, or None if this Python will not swap classes."""
    slots = model.__dict__["__slots__"]
    twin = type(f"{model.__name__}Builder", (), {"__slots__": slots, "__module__": __name__})
    probe: Any = object.__new__(twin)
    try:
        probe.__class__ = model
    except TypeError:  # pragma: no cover - other layouts or implementations
        return None
    return twin


class _Emitter:
    """Writes one model's fast decoder: Python source plus the names it uses.

    Helpers are bound as default arguments, so the generated code reads them as fast
    locals; a helper shared by many fields (Decimal, fromisoformat) gets one name.
    """

    def __init__(self, model: type, fields: Sequence[Field], twin: type | None) -> None:
        self.model, self.fields, self.twin = model, fields, twin
        self.names: dict[str, Any] = {}
        self._by_identity: dict[int, str] = {}

    def bind(self, stem: str, value: Any) -> str:
        """The identifier for ``value`` in generated code, added on first use."""
        name = self._by_identity.get(id(value))
        if name is None:
            name = stem if stem not in self.names else f"{stem}{len(self.names)}"
            self.names[name] = value
            self._by_identity[id(value)] = name
        return name

    def store(self, name: str, value: str) -> str:
        if self.twin is not None:
            return f"o.{name} = {value}"
        setter = self.bind("SET", _slot_setter(self.model, name))
        return f"{setter}(o, {value})"

    def source(self) -> str:
        self.bind("ABSENT", _ABSENT)
        self.bind("INVALID", _Invalid)
        body = [*self._head(), *self._all_fields(), *self._tail()]
        arguments = ", ".join(f"{name}={name}" for name in self.names)
        return "\n".join([f"def fast(d, {arguments}):", *body]) + "\n"

    def _head(self) -> list[str]:
        if self.twin is not None:
            # The twin has no __init__, so calling it is the cheapest way to allocate.
            make = f"{self.bind('BUILDER', self.twin)}()"
        else:
            make = f"{self.bind('NEW', object.__new__)}({self.bind('MODEL', self.model)})"
        return [
            "    if d.__class__ is not dict:",
            "        raise INVALID",
            "    g = d.get",
            "    ab = 0",
            f"    o = {make}",
        ]

    def _all_fields(self) -> Iterator[str]:
        for index, field in enumerate(self.fields):
            yield f"    v = g({field.name!r}, ABSENT)"
            exact = field.kind.exact
            if exact is None:
                yield "    c = v.__class__"
                yield from self._branches(index, field, conversions_first=True)
            else:
                # The common case costs one test: the value already has the model's type.
                yield f"    if v.__class__ is not {exact.__name__}:"
                if field.kind.fast:
                    yield "        c = v.__class__"
                yield from self._indent(self._branches(index, field, conversions_first=False))
            yield f"    {self.store(field.name, 'v')}"

    @staticmethod
    def _indent(lines: Iterator[str]) -> Iterator[str]:
        return ("    " + line for line in lines)

    def _branches(self, index: int, field: Field, *, conversions_first: bool) -> Iterator[str]:
        """An if/elif chain: the kind's conversions, null, absent; else a wrong type."""
        conversions = [
            (test, self._helpers(statement, field.kind)) for test, statement in field.kind.fast
        ]
        null = [("v is None", "pass" if field.nullable else "raise INVALID")]
        absent = [("v is ABSENT", self._absent(index, field))]
        chain = conversions + null + absent if conversions_first else null + absent + conversions
        for position, (test, statement) in enumerate(chain):
            yield f"    {'if' if position == 0 else 'elif'} {test}:"
            yield f"        {statement}"
        yield "    else:"
        yield "        raise INVALID"

    def _absent(self, index: int, field: Field) -> str:
        if field.required:
            return "raise INVALID"
        return f"v = {self._default(field)}; ab |= {1 << index}"

    def _default(self, field: Field) -> str:
        # Immutable defaults are inlined; a factory (a mutable default) is called.
        default = field.default()
        if default is None or default == ():
            return repr(default)
        return f"{self.bind('DEFAULT', field.default)}()"

    def _helpers(self, statement: str, kind: Kind) -> str:
        renamed = {stem: self.bind(stem, value) for stem, value in kind.names.items()}
        return _HELPER_NAME.sub(lambda m: renamed.get(m.group(0), m.group(0)), statement)

    def _tail(self) -> list[str]:
        cache, make = _absent_set_maker(self.fields)
        known = self.bind("KNOWN", frozenset(field.name for field in self.fields))
        empty = self.bind("EMPTY", frozenset())
        lookup, maker = self.bind("ABSENT_SETS", cache), self.bind("ABSENT_SET", make)
        unknown = f"{{k: x for k, x in d.items() if k not in {known}}}"
        count = len(self.fields)
        # Unknown keys exist only if there are more keys than known ones present.
        with_absent = f"{unknown} if len(d) > {count} - len(absent) else {{}}"
        lines = [
            "    if ab:",
            f"        absent = {lookup}.get(ab) or {maker}(ab)",
            f"        {self.store('_absent', 'absent')}",
            f"        {self.store('extra', with_absent)}",
            "    else:",
            f"        {self.store('_absent', empty)}",
            f"        {self.store('extra', f'{unknown} if len(d) > {count} else {{}}')}",
        ]
        if self.twin is not None:
            lines.append(f"    o.__class__ = {self.bind('MODEL', self.model)}")
        return [*lines, "    return o"]


def _dump_source(fields: Sequence[Field]) -> str:
    entries = []
    for index, field in enumerate(fields):
        value = f"o.{field.name}"
        if field.kind.dump is not None:
            value = f"None if {value} is None else DUMP{index}({value})"
        entries.append(f"        {field.name!r}: {value},")
    lines = [
        "def dump(o):",
        "    if o._absent is PHPMARK:",
        "        return []",
        "    out = {",
        *entries,
        "    }",
        "    for k in o._absent:",
        "        del out[k]",
        "    if o.extra:",
        "        out.update(o.extra)",
        "    return out",
    ]
    return "\n".join(lines) + "\n"


def _compile(source: str, namespace: dict[str, Any], filename: str, name: str) -> Any:
    # Registered with linecache so tracebacks through generated code show its lines.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)
    return namespace[name]


@attrs.frozen
class Plan:
    """Everything needed to decode and encode one wire model."""

    fields: tuple[Field, ...]
    names: frozenset[str]
    fast: Callable[[Any], Any]
    dump: Callable[[Any], dict[str, Any]]


def make_plan(model: type) -> Plan:
    """Read a model's field table and generate its fast decoder and its encoder."""
    fields = fields_of(model)
    twin = _layout_twin(model)
    stem = f"<clopos_async generated {model.__name__}"
    emitter = _Emitter(model, fields, twin)
    fast = _compile(emitter.source(), emitter.names, f"{stem} structure>", "fast")
    dumpers: dict[str, Any] = {
        f"DUMP{i}": f.kind.dump for i, f in enumerate(fields) if f.kind.dump
    }
    dumpers["PHPMARK"] = _PHP_EMPTY_MARK
    dump = _compile(_dump_source(fields), dumpers, f"{stem} unstructure>", "dump")
    return Plan(fields, frozenset(f.name for f in fields), fast, dump)


_PLANS: dict[type, Plan] = {}
for _model in WIRE_MODELS:
    _PLANS[_model] = make_plan(_model)


# --- entry points ------------------------------------------------------------------------------


def decode(model: type[M], obj: Any, path: str) -> M:
    """Decode one wire object: the fast path, else the diagnosing slow path."""
    try:
        return _PLANS[model].fast(obj)  # type: ignore[no-any-return]
    except Exception:  # any failure: the slow path re-decodes and explains
        return structure_slow(model, obj, path)


def decode_list(model: type[M], obj: Any, path: str) -> list[M]:
    """Decode an array of wire objects: the fast path, else the diagnosing slow path."""
    if obj.__class__ is list or obj.__class__ is tuple:  # the pager hands pages' tuples
        fast = _PLANS[model].fast
        try:
            return list(map(fast, obj))
        except Exception:  # any failure: the slow path re-decodes and explains
            pass
    return structure_slow_list(model, obj, path)


def decode_receipt(obj: Any, *, path: str = "data") -> Receipt:
    """The ``data`` of ``GET /receipts/{id}`` as a Receipt (API §9.12, §10.1)."""
    return decode(Receipt, obj, path)


def decode_receipts(obj: Any, *, path: str = "data") -> list[Receipt]:
    """The ``data`` array of ``GET /receipts`` as Receipts, in order."""
    return decode_list(Receipt, obj, path)


def decode_closed_receipt(obj: Any, *, path: str = "data") -> ClosedReceipt:
    """The ``data`` of ``POST /receipts/{id}/close``: id, closed_at, payment_methods."""
    return decode(ClosedReceipt, obj, path)


def unstructure(instance: Any) -> dict[str, Any]:
    """The exact wire dict of a decoded (or hand-built) model instance."""
    return _PLANS[type(instance)].dump(instance)


# --- Page: not a wire object, but the converter handles it like one ----------------------------


def _is_page(cls: Any) -> bool:
    return cls is Page or get_origin(cls) is Page


def _page_hook(page_type: Any) -> Callable[[Any, Any], Page[Any]]:
    (item,) = get_args(page_type) or (Any,)
    if item not in _PLANS:
        raise TypeError(f"Page items must be a wire model, got {item!r}")

    def structure_page(data: Any, _: Any) -> Page[Any]:
        if not isinstance(data, Mapping):
            raise _fail("an object", data, "")
        return Page(
            items=tuple(decode_list(item, data.get("items"), "items")),
            total=_slow_int(data.get("total"), "total"),
            page=_slow_int(data.get("page"), "page"),
            limit=_slow_int(data.get("limit"), "limit"),
            sorts=_slow_strings(data.get("sorts", []), "sorts"),
        )

    return structure_page


def _slow_strings(value: Any, path: str) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        raise _fail("an array", value, path)
    return tuple(_slow_str(item, f"{path}[{i}]") for i, item in enumerate(value))


def _unstructure_page(page: Page[Any]) -> dict[str, Any]:
    return {
        "items": [converter.unstructure(item) for item in page.items],
        "total": page.total,
        "page": page.page,
        "limit": page.limit,
        "sorts": list(page.sorts),
    }


def _make_converter() -> cattrs.Converter:
    made = cattrs.Converter(detailed_validation=False)
    for model in WIRE_MODELS:
        made.register_structure_hook(model, _structure_hook(model))
        made.register_unstructure_hook(model, _PLANS[model].dump)
    made.register_structure_hook_factory(_is_page, _page_hook)
    made.register_unstructure_hook_func(_is_page, _unstructure_page)
    return made


def _structure_hook(model: type[M]) -> Callable[[Any, Any], M]:
    def structure(data: Any, _: Any) -> M:
        return decode(model, data, "")

    return structure


#: The configured cattrs converter: ``converter.structure(d, Receipt)`` decodes a wire
#: dict, ``converter.unstructure(receipt)`` gives the exact wire dict back.
converter = _make_converter()

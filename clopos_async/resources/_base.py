"""``Resource``: the base of every resource, get / list / write over one endpoint's facts.

A read-only resource is a model plus a few declarative lines: its ``list`` builds a
pager from the endpoint's facts (page size range, list envelope), its ``get`` decodes
one object, and both send through the seam (``_seam.py``).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from clopos_async._api import Endpoint, Param, ValueType
from clopos_async._errors import ClientValueError, DecodeError
from clopos_async._pagination import Pager
from clopos_async._validation import (
    MAX_WIRE_INT,
    check_concurrency,
    check_optional_positive_int,
    check_positive_int,
    shown,
)
from clopos_async._wire import decode, decode_list
from clopos_async.models import Page
from clopos_async.resources._seam import Seam

M = TypeVar("M")


class Resource:
    """A resource of the API: a few endpoints sharing a model (API §9)."""

    def __init__(self, seam: Seam) -> None:
        self._seam = seam

    async def _get(
        self,
        endpoint: Endpoint,
        model: type[M],
        id: int | str,
        params: Sequence[tuple[str, str]] = (),
    ) -> M:
        """One object of ``model`` from ``endpoint`` (a path with ``{id}``)."""
        path = endpoint.path.format(id=id)
        envelope = await self._seam.send(endpoint.method, path, params=params)
        return decode(model, data_of(envelope))

    async def _write(
        self, endpoint: Endpoint, id: int | str | None, body: Any, *, safe: bool
    ) -> Any:
        """Send a write body and return the envelope's ``data``, still in wire form.

        ``safe`` says whether the call may be repeated after an ambiguous failure
        (API §12): PATCH and PUT set state and are; POST is not.
        """
        path = endpoint.path if id is None else endpoint.path.format(id=id)
        envelope = await self._seam.send(endpoint.method, path, json=body, safe=safe)
        return data_of(envelope)

    def _pager(
        self,
        endpoint: Endpoint,
        model: type[M],
        query: Callable[[int, int], Sequence[tuple[str, str]]],
        *,
        page: object,
        limit: object,
        max_items: object,
        concurrency: object,
        key: Callable[[M], Hashable],
    ) -> Pager[M]:
        """A lazy pager over a list endpoint; every argument is checked now.

        ``query(page, limit)`` builds one page's query string.
        """
        size = check_limit(endpoint, limit)

        async def fetch(number: int) -> Page[Any]:
            envelope = await self._seam.send("GET", endpoint.path, params=query(number, size))
            return wire_page(envelope, number, size)

        def decode_items(items: Sequence[Any]) -> list[M]:
            return decode_list(model, items)

        return Pager(
            fetch,
            decode_items,
            key=key,
            page=check_positive_int("page", page),
            limit=size,
            max_items=check_optional_positive_int("max_items", max_items),
            concurrency=check_concurrency("concurrency", concurrency),
        )


class PlainList(Resource, Generic[M]):
    """A resource whose list takes nothing beyond paging: ``_endpoint``'s items as ``_model``.

    Each subclass keeps its own ``list`` (its docstring and typed ``Pager``) and hands it
    to ``_plain_list``.
    """

    _endpoint: ClassVar[Endpoint]
    _model: type[M]

    def _plain_list(
        self, page: object, limit: object, max_items: object, concurrency: object
    ) -> Pager[M]:
        return self._pager(
            self._endpoint,
            self._model,
            page_query,
            page=page,
            limit=limit,
            max_items=max_items,
            concurrency=concurrency,
            key=item_id,
        )


def check_limit(endpoint: Endpoint, limit: object) -> int:
    """A page size within the endpoint's documented range (API §8)."""
    value = check_positive_int("limit", limit)
    if value > endpoint.max_limit:
        raise ClientValueError(
            f"limit={value!r} is not allowed: an integer from 1 to {endpoint.max_limit} is required"
        )
    return value


def plain_params(endpoint: Endpoint, values: Mapping[str, object]) -> list[tuple[str, str]]:
    """Check plain query parameters against the endpoint's facts and encode them (API §8).

    ``None`` means "not sent". Booleans travel as ``true``/``false``.

    Raises:
        ClientValueError: naming the argument, its value and what is allowed.
    """
    pairs = []
    for name, value in values.items():
        fact = endpoint.param(name)
        if fact is None:  # pragma: no cover - a resource asking for an undocumented param
            raise TypeError(f"{endpoint.name} has no query parameter {name!r}")
        if value is not None:
            pairs.append((name, _param_text(fact, value)))
    return pairs


def _param_text(fact: Param, value: object) -> str:
    if fact.type is ValueType.BOOL:
        if isinstance(value, bool):
            return "true" if value else "false"
        raise _rejected(fact, value, "True, False or None is required")
    if fact.type is ValueType.INT:
        number = value if isinstance(value, int) and not isinstance(value, bool) else None
        if (
            number is not None
            and 0 <= number <= MAX_WIRE_INT
            and (not fact.choices or number in fact.choices)
        ):
            return str(number)
        raise _rejected(fact, value, _allowed(fact, "an integer >= 0"))
    if isinstance(value, str) and value and (not fact.choices or value in fact.choices):
        return value
    raise _rejected(fact, value, _allowed(fact, "a non-empty string"))


def _rejected(fact: Param, value: object, allowed: str) -> ClientValueError:
    return ClientValueError(f"{fact.name}={shown(value)} is not allowed: {allowed}")


def _allowed(fact: Param, otherwise: str) -> str:
    if fact.choices:
        return "None or one of " + ", ".join(repr(c) for c in fact.choices) + " is required"
    return f"None or {otherwise} is required"


def check_path_id(name: str, value: object) -> str:
    """An id for a path: a positive int, or a non-empty str (API §15 item 16), URL-quoted.

    Raises:
        ClientValueError: for anything else, a bool included.
    """
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_WIRE_INT:
        return str(value)
    if isinstance(value, str) and value.strip():
        return urllib.parse.quote(value, safe="")  # never a second path segment
    raise ClientValueError(
        f"{name}={shown(value)} is not allowed: "
        "a positive integer or a non-empty string id is required"
    )


def page_query(number: int, limit: int) -> list[tuple[str, str]]:
    """The ``page`` and ``limit`` pairs every list query starts with (API §8)."""
    return [("page", str(number)), ("limit", str(limit))]


def data_of(envelope: Mapping[str, Any]) -> Any:
    """The envelope's ``data``: a success envelope without one is not the documented shape."""
    if "data" not in envelope:
        raise DecodeError("the envelope has no data", path="data")
    return envelope["data"]


def wire_page(envelope: Mapping[str, Any], number: int, limit: int) -> Page[Any]:
    """One page with its items still wire dicts: the pager decodes them later."""
    items = data_of(envelope)
    if not isinstance(items, list):
        raise DecodeError(f"expected an array, got {type(items).__name__}", path="data")
    return Page(
        items=tuple(items),
        total=list_total(envelope),
        page=number,
        limit=limit,
        sorts=tuple(str(s) for s in envelope.get("sorts") or ()),
    )


def list_total(envelope: Mapping[str, Any]) -> int:
    """The envelope's ``total`` (API §5), or ``pagination.total`` (API §15 item 8).

    A list without a total is refused rather than guessed at: guessing could
    end a sweep early and silently lose items.
    """
    total = envelope.get("total")
    pagination = envelope.get("pagination")
    if total is None and isinstance(pagination, Mapping):
        total = pagination.get("total")
    if isinstance(total, int) and not isinstance(total, bool) and total >= 0:
        return total
    raise DecodeError(f"expected a non-negative integer, got {total!r}", path="total")


def item_id(item: Any) -> Hashable:
    """The de-duplication key of a list item: its ``id`` (DESIGN §2 Pagination)."""
    key: Hashable = item.id
    return key

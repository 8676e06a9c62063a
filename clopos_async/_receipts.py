"""The receipts resource: list (a pager), get, get_many and close (API §9.12).

Every argument is checked before anything is sent, ``/auth`` included: bad
input raises ``ClientValueError`` at call time, even for ``list``, which
returns a lazy pager. Closing is exactly-once; see ``_close.py``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from clopos_async._close import Closer, CloseRequest
from clopos_async._converters import decode_receipt, decode_receipts
from clopos_async._errors import ClientValueError, DecodeError
from clopos_async._models import ClosedReceipt, Page, PaymentMethod, Receipt
from clopos_async._pagination import Pager
from clopos_async._protocol import FilterValue, encode_include, encode_list_query
from clopos_async._validation import (
    RECEIPT_FILTERS,
    check_concurrency,
    check_date,
    check_date_range,
    check_filters,
    check_id,
    check_ids,
    check_include,
    check_optional_id,
    check_optional_positive_int,
    check_order,
    check_positive_int,
    check_sort,
    check_status,
)
from clopos_async._window import OrderedWindow

if TYPE_CHECKING:
    from clopos_async._client import CloposClient

#: The API's documented maximum page size for receipts (API §8; SDK docstring 1-200).
MAX_LIMIT = 200


class Receipts:
    """``client.receipts``: sales receipts of the brand (and venue) the token targets."""

    def __init__(self, client: CloposClient) -> None:
        self._client = client
        self._closer = Closer(client)

    def list(
        self,
        *,
        date_from: str | date | datetime | None = None,
        date_to: str | date | datetime | None = None,
        sort: str = "created_at",
        order: str | int = "desc",
        status: int | None = None,
        sale_type_id: int | None = None,
        terminal_id: int | None = None,
        filters: Mapping[str, FilterValue] | Sequence[tuple[str, FilterValue]] | None = None,
        include: str | Iterable[str] = (),
        page: int = 1,
        limit: int = 50,
        max_items: int | None = None,
        concurrency: int = 1,
    ) -> Pager[Receipt]:
        """A lazy pager over ``GET /receipts``: await it for one page, iterate it for all."""
        start = check_date("date_from", date_from)
        end = check_date("date_to", date_to)
        check_date_range(start, end)
        limit = _check_limit(limit)
        query = _ListQuery(
            sort=check_sort(sort),
            order=check_order(order),
            date_from=start,
            date_to=end,
            include=check_include(include),
            filters=tuple(_all_filters(filters, status, sale_type_id, terminal_id)),
            limit=limit,
        )
        return Pager(
            lambda number: self._fetch_page(query, number),
            decode_receipts,
            key=_receipt_id,
            page=check_positive_int("page", page),
            limit=limit,
            max_items=check_optional_positive_int("max_items", max_items),
            concurrency=check_concurrency("concurrency", concurrency),
        )

    async def get(self, id: int, *, include: str | Iterable[str] = ()) -> Receipt:
        """One receipt by id; ``NotFoundError`` when it does not exist."""
        receipt_id = check_id("id", id)
        params = encode_include(check_include(include))
        envelope = await self._client.request("GET", f"/receipts/{receipt_id}", params=params)
        return decode_receipt(_data(envelope))

    def get_many(
        self,
        ids: Iterable[int],
        *,
        include: str | Iterable[str] = (),
        concurrency: int | None = None,
    ) -> AsyncIterator[Receipt]:
        """Fetch many receipts concurrently; yield them in input order."""
        receipt_ids = check_ids("ids", ids)
        includes = check_include(include)
        if concurrency is None:
            width = self._client._max_concurrency  # already checked by the constructor
        else:
            width = check_concurrency("concurrency", concurrency)
        return self._iterate_many(receipt_ids, includes, width)

    async def close(
        self,
        receipt: int | Receipt,
        payment_methods: Sequence[PaymentMethod] | Sequence[Mapping[str, Any]],
        *,
        closed_at: datetime | str | None = None,
        expected_total: Decimal | int | float | str | None = None,
    ) -> ClosedReceipt:
        """Close an open receipt exactly once; see README "Exactly-once close"."""
        request = CloseRequest.build(receipt, payment_methods, closed_at, expected_total)
        return await self._closer.close(request)

    async def _iterate_many(
        self, ids: Sequence[int], include: tuple[str, ...], width: int
    ) -> AsyncIterator[Receipt]:
        window: OrderedWindow[Receipt] = OrderedWindow(width)
        try:
            for receipt_id in ids:
                if window.full:
                    yield await window.next()
                window.submit(self.get(receipt_id, include=include))
                await window.let_run()
            while window:
                yield await window.next()
        finally:
            await window.cancel_all()

    async def _fetch_page(self, query: _ListQuery, number: int) -> Page[Any]:
        """One page with its receipts still wire dicts: the pager decodes them later."""
        envelope = await self._client.request("GET", "/receipts", params=query.params(number))
        items = _data(envelope)
        if not isinstance(items, list):
            raise DecodeError(f"expected an array, got {type(items).__name__}", path="data")
        return Page(
            items=tuple(items),
            total=_total(envelope),
            page=number,
            limit=query.limit,
            sorts=tuple(str(s) for s in envelope.get("sorts") or ()),
        )


@attrs.frozen(kw_only=True, slots=True)
class _ListQuery:
    """The checked, fixed part of a list call; only the page number varies."""

    sort: str
    order: int
    date_from: date | None
    date_to: date | None
    include: tuple[str, ...]
    filters: tuple[tuple[str, FilterValue], ...]
    limit: int

    def params(self, page: int) -> list[tuple[str, str]]:
        return encode_list_query(
            page=page,
            limit=self.limit,
            sort=self.sort,
            order=self.order,
            date_from=self.date_from,
            date_to=self.date_to,
            include=self.include,
            filters=self.filters,
        )


def _check_limit(limit: object) -> int:
    value = check_positive_int("limit", limit)
    if value > MAX_LIMIT:
        raise ClientValueError(
            f"limit={value!r} is not allowed: an integer from 1 to {MAX_LIMIT} is required"
        )
    return value


def _all_filters(
    filters: object, status: object, sale_type_id: object, terminal_id: object
) -> list[tuple[str, FilterValue]]:
    """The generic ``filters`` plus the three documented shortcuts (API §9.12)."""
    merged = check_filters(filters, fields=RECEIPT_FILTERS)
    shortcuts = (
        ("status", check_status(status)),
        ("sale_type_id", check_optional_id("sale_type_id", sale_type_id)),
        ("terminal_id", check_optional_id("terminal_id", terminal_id)),
    )
    merged.extend((name, value) for name, value in shortcuts if value is not None)
    return merged


def _receipt_id(receipt: Receipt) -> int:
    return receipt.id


def _data(envelope: Mapping[str, Any]) -> Any:
    if "data" not in envelope:
        raise DecodeError("the envelope has no data", path="data")
    return envelope["data"]


def _total(envelope: Mapping[str, Any]) -> int:
    """The envelope's ``total`` (API §5), or ``pagination.total`` (API §15 item 8).

    A list without a total is refused rather than guessed at: guessing could
    end a sweep early and silently lose receipts.
    """
    total = envelope.get("total")
    pagination = envelope.get("pagination")
    if total is None and isinstance(pagination, Mapping):
        total = pagination.get("total")
    if isinstance(total, int) and not isinstance(total, bool) and total >= 0:
        return total
    raise DecodeError(f"expected a non-negative integer, got {total!r}", path="total")

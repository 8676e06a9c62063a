"""The receipts resource: list (a pager), get, get_many and close (API §9.12).

Every argument is checked before anything is sent, ``/auth`` included: bad
input raises ``ClientValueError`` at call time, even for ``list``, which
returns a lazy pager. Closing is exactly-once; see ``_close.py``. The facts
(sortable fields, includes, page size) come from ``_api`` (``RECEIPTS``).
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncGenerator, AsyncIterator, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from clopos_async._api._endpoints import RECEIPT, RECEIPT_UPDATE, RECEIPTS, STOCK_OPERATIONS
from clopos_async._errors import DecodeError
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
    check_order,
    check_sort,
    check_status,
)
from clopos_async._watch import Watcher, watch_list
from clopos_async._window import OrderedWindow, WindowedIterator
from clopos_async._wire import decode, decode_list
from clopos_async.models import (
    ClosedReceipt,
    PaymentMethod,
    Receipt,
    ReceiptOrderStatus,
    StockOperation,
)
from clopos_async.resources._base import Resource, check_limit, data_of, item_id
from clopos_async.resources._close import Closer, CloseRequest
from clopos_async.resources._receipt_update import update_body
from clopos_async.resources._seam import Seam

#: The API's documented maximum page size for receipts (API §8; SDK docstring 1-200).
MAX_LIMIT = RECEIPTS.max_limit


class Receipts(Resource):
    """``client.receipts``: sales receipts of the brand (and venue) the token targets."""

    def __init__(self, seam: Seam) -> None:
        """Mounted by the client (``client.receipts``); not built directly."""
        super().__init__(seam)
        self._closer = Closer(seam)

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
        """A lazy pager over ``GET /receipts``: await it for one page, iterate it for all.

        Nothing is sent until the pager is awaited or iterated (README "Pagination").

        Args:
            date_from: first day (``YYYY-MM-DD``, a ``date`` or a ``datetime``), inclusive.
            date_to: last day, inclusive; not before ``date_from``.
            sort: the field to sort by (API §8), e.g. ``"created_at"``.
            order: ``"asc"``/``"desc"`` or ``1``/``-1``.
            status: only receipts with this status (``ReceiptStatus``).
            sale_type_id: only receipts of this sale type.
            terminal_id: only receipts of this terminal.
            filters: further ``filters[N]`` pairs, e.g. ``{"sale_type_id": [1, 2]}``.
            include: relations to embed (``with[]``), e.g. ``"receipt_products"``.
            page: the first page, from 1.
            limit: receipts per page, 1-200.
            max_items: stop after this many receipts.
            concurrency: page requests kept in flight while iterating.

        Returns:
            A ``Pager[Receipt]``: ``await`` gives a ``Page``, ``async for`` every receipt,
            ``pages()`` every page; ``next_page`` says where a failed sweep resumes.

        Raises:
            ClientValueError: an argument is not allowed; nothing was sent.
        """
        start = check_date("date_from", date_from)
        end = check_date("date_to", date_to)
        check_date_range(start, end)
        size = check_limit(RECEIPTS, limit)  # checked in the order users read them
        query = _ListQuery(
            sort=check_sort(sort),
            order=check_order(order),
            date_from=start,
            date_to=end,
            include=check_include(include),
            filters=tuple(_all_filters(filters, status, sale_type_id, terminal_id)),
        )
        return self._pager(
            RECEIPTS,
            Receipt,
            query.params,
            page=page,
            limit=size,
            max_items=max_items,
            concurrency=concurrency,
            key=item_id,
        )

    async def get(self, id: int, *, include: str | Iterable[str] = ()) -> Receipt:
        """One receipt by id (``GET /receipts/{id}``).

        Args:
            id: the receipt id, an integer >= 1.
            include: relations to embed, e.g. ``"receipt_products"``.

        Returns:
            The ``Receipt``.

        Raises:
            ClientValueError: ``id`` or ``include`` is not allowed; nothing was sent.
            NotFoundError: no receipt has this id.
            APIError: another error answer (a typed subclass per status).
            TransportError: no usable response arrived (connection, timeout).
            DecodeError: the answer was not the documented shape.
        """
        receipt_id = check_id("id", id)
        params = encode_include(check_include(include))
        return await self._get(RECEIPT, Receipt, receipt_id, params)

    def get_many(
        self,
        ids: Iterable[int],
        *,
        include: str | Iterable[str] = (),
        concurrency: int | None = None,
    ) -> AsyncIterator[Receipt]:
        """Fetch many receipts concurrently; yield them in input order.

        Args:
            ids: receipt ids, each an integer >= 1.
            include: relations to embed in each.
            concurrency: requests in flight (default: the client's ``max_concurrency``).

        Yields:
            Each ``Receipt``, in the order of ``ids``. Stopping early (``break``,
            ``aclose()``) cancels the requests still in flight; ``contextlib.aclosing``
            closes a held iterator deterministically.

        Raises:
            ClientValueError: an argument is not allowed; nothing was sent.
            NotFoundError: while iterating, an id does not exist.
            APIError: another error answer (a typed subclass per status).
            TransportError: no usable response arrived (connection, timeout).
            DecodeError: the answer was not the documented shape.
        """
        receipt_ids = check_ids("ids", ids)
        includes = check_include(include)
        if concurrency is None:
            width = self._seam.max_concurrency  # already checked by the constructor
        else:
            width = check_concurrency("concurrency", concurrency)
        window: OrderedWindow[Receipt] = OrderedWindow(width)
        return WindowedIterator(self._iterate_many(receipt_ids, includes, window), window)

    async def close(
        self,
        receipt: int | Receipt,
        payment_methods: Sequence[PaymentMethod] | Sequence[Mapping[str, Any]],
        *,
        closed_at: datetime | str | None = None,
        expected_total: Decimal | int | float | str | None = None,
    ) -> ClosedReceipt:
        """Close an open receipt exactly once (``POST /receipts/{id}/close``, API §12).

        A lost response is reconciled by reading the receipt back, so the close is
        applied once; repeating a close already made with the same payments returns
        the same result (README "Exactly-once close").

        Args:
            receipt: the receipt id, or the ``Receipt`` itself (then its status, total
                and ``created_at`` are checked before anything is sent).
            payment_methods: the payments, ``PaymentMethod`` or their wire dicts.
            closed_at: when it was paid, venue local time (naive ``datetime`` or
                ``YYYY-MM-DD HH:mm:ss``); default: the server's now.
            expected_total: the total the payments must add up to, when only the id
                is passed.

        Returns:
            The ``ClosedReceipt`` (id, ``closed_at`` and the payments applied).

        Raises:
            ClientValueError: an argument is not allowed; nothing was sent.
            CloseRejectedError: a guard failed (no payments, a negative amount, the
                payments do not sum to the total, not open, ``closed_at`` too early);
                nothing was sent. A ``ClientValueError`` subclass.
            CloseConflictError: the receipt was closed, but not with these payments.
            BadRequestError: the server refused the close (400) and it is still open.
            APIError: another error answer (a typed subclass per status).
            TransportError: no usable response arrived (connection, timeout).
            DecodeError: the answer was not the documented shape.
        """
        request = CloseRequest.build(receipt, payment_methods, closed_at, expected_total)
        return await self._closer.close(request)

    async def stock_operations(self, id: int) -> builtins.list[StockOperation]:
        """The stock write-offs the receipt ``id`` caused, one per line item (API §9.12).

        Args:
            id: the receipt id, an integer >= 1.

        Returns:
            A list of ``StockOperation``, as the API sent them.

        Raises:
            ClientValueError: a bad id; nothing is sent.
            NotFoundError: no such receipt.
            APIError: another error answer (a typed subclass per status).
            TransportError: no usable response arrived (connection, timeout).
            DecodeError: the answer was not the documented shape.
        """
        path = STOCK_OPERATIONS.path.format(id=check_id("id", id))
        envelope = await self._seam.send(STOCK_OPERATIONS.method, path)
        items = data_of(envelope)  # API §15 item 8: a bare ``data``, no ``success``
        if not isinstance(items, list):
            raise DecodeError(f"expected an array, got {type(items).__name__}", path="data")
        return decode_list(StockOperation, items)

    async def update(
        self,
        id: int,
        *,
        order_status: ReceiptOrderStatus | str | None = None,
        order_number: str | None = None,
        fiscal_id: str | None = None,
        lock: bool | None = None,
    ) -> Receipt:
        """Set a receipt's writable fields (API §9.12 PATCH); closed receipts too.

        Only the fields given are sent. PATCH sets state, so it is retried like a GET.

        Args:
            id: the receipt id, an integer >= 1.
            order_status: the new ``order_status`` (``ReceiptOrderStatus`` or its string).
            order_number: the new order number.
            fiscal_id: the new fiscal id.
            lock: the new ``lock`` flag.

        Returns:
            The updated ``Receipt``, as the API answered.

        Raises:
            ClientValueError: a bad id or value, or no field; nothing is sent.
            NotFoundError: no such receipt.
            APIError: another error answer (a typed subclass per status).
            TransportError: no usable response arrived (connection, timeout).
            DecodeError: the answer was not the documented shape.
        """
        receipt_id = check_id("id", id)
        body = update_body(
            order_status=order_status, order_number=order_number, fiscal_id=fiscal_id, lock=lock
        )
        return decode(Receipt, await self._write(RECEIPT_UPDATE, receipt_id, body, safe=True))

    def watch(
        self,
        *,
        since: datetime | str | None = None,
        interval: float = 5.0,
        lookback: float = 2.0,
        status: int | None = None,
        sale_type_id: int | None = None,
        terminal_id: int | None = None,
        filters: Mapping[str, FilterValue] | Sequence[tuple[str, FilterValue]] | None = None,
        include: str | Iterable[str] = (),
        limit: int = 50,
    ) -> Watcher[Receipt]:
        """Follow new and changed receipts (by ``updated_at``), each change once, oldest first.

        Polls ``GET /receipts`` sorted by ``updated_at`` descending every ``interval``
        seconds, through the client's limiter and retries (API §9.14 recommends polling).

        Args:
            since: ``None`` to start from now; a naive ``datetime`` (venue local time)
                to yield everything updated at or after it; or a ``watcher.checkpoint``
                string to resume after a restart with nothing missed or repeated.
            interval: Seconds between polls.
            lookback: Seconds below the newest ``updated_at`` seen that every poll
                reads again, for writes that land late in the same second.
            status: Only receipts with this status (1 open, 2 closed).
            sale_type_id: Only receipts of this sale type.
            terminal_id: Only receipts of this terminal.
            filters: More ``filters[N]`` tuples, as for ``list``.
            include: Relations to embed, as for ``list``.
            limit: Page size of each poll's requests (1-200).

        Returns:
            A ``Watcher``: ``async for receipt in watcher`` runs until cancelled;
            ``watcher.checkpoint`` says where it stands.

        Raises:
            ClientValueError: An argument is invalid (nothing is sent).
            APIError: while iterating, a poll got an error answer for good;
                ``watcher.checkpoint`` still holds the last delivered state.
            TransportError: while iterating, a poll got no usable response for good.
            DecodeError: while iterating, a poll's answer was not the documented shape.
        """
        options: dict[str, Any] = {
            "status": status,
            "sale_type_id": sale_type_id,
            "terminal_id": terminal_id,
            "filters": filters,
            "include": include,
            "limit": limit,
        }
        self.list(sort="updated_at", order="desc", **options)  # checks every argument now
        return watch_list(
            lambda number: self.list(sort="updated_at", order="desc", page=number, **options),
            since=since,
            interval=interval,
            lookback=lookback,
            aware=False,  # receipts carry venue-local YYYY-MM-DD HH:mm:ss (API §11)
            stamp=_receipt_stamp,
            sleep=self._seam.sleep,
        )

    async def _iterate_many(
        self, ids: Sequence[int], include: tuple[str, ...], window: OrderedWindow[Receipt]
    ) -> AsyncGenerator[Receipt, None]:
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


@attrs.frozen(kw_only=True, slots=True)
class _ListQuery:
    """The checked, fixed part of a list call; only the page number varies."""

    sort: str
    order: int
    date_from: date | None
    date_to: date | None
    include: tuple[str, ...]
    filters: tuple[tuple[str, FilterValue], ...]

    def params(self, page: int, limit: int) -> list[tuple[str, str]]:
        return encode_list_query(
            page=page,
            limit=limit,
            sort=self.sort,
            order=self.order,
            date_from=self.date_from,
            date_to=self.date_to,
            include=self.include,
            filters=self.filters,
        )


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


def _receipt_stamp(receipt: Receipt) -> datetime | None:
    return receipt.updated_at or receipt.created_at

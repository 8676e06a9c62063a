"""The receipts resource: list (a pager), get, get_many and close (API §9.12).

Every argument is checked before anything is sent, ``/auth`` included: bad
input raises ``ClientValueError`` at call time, even for ``list``, which
returns a lazy pager. Closing is exactly-once; see ``_close.py``. The facts
(sortable fields, includes, page size) come from ``_api`` (``RECEIPTS``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from clopos_async._api._endpoints import RECEIPT, RECEIPTS
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
from clopos_async._watch import Watcher
from clopos_async._watch_state import state_from_since, watch_seconds
from clopos_async._window import OrderedWindow
from clopos_async.models import ClosedReceipt, PaymentMethod, Receipt
from clopos_async.resources._base import Resource, check_limit, item_id
from clopos_async.resources._close import Closer, CloseRequest
from clopos_async.resources._seam import Seam

#: The API's documented maximum page size for receipts (API §8; SDK docstring 1-200).
MAX_LIMIT = RECEIPTS.max_limit


class Receipts(Resource):
    """``client.receipts``: sales receipts of the brand (and venue) the token targets."""

    def __init__(self, seam: Seam) -> None:
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
        """A lazy pager over ``GET /receipts``: await it for one page, iterate it for all."""
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
        """One receipt by id; ``NotFoundError`` when it does not exist."""
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
        """Fetch many receipts concurrently; yield them in input order."""
        receipt_ids = check_ids("ids", ids)
        includes = check_include(include)
        if concurrency is None:
            width = self._seam.max_concurrency  # already checked by the constructor
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
            CloposError: A poll failed for good; ``watcher.checkpoint`` still holds the
                last delivered state.
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
        return Watcher(
            lambda number: self.list(sort="updated_at", order="desc", page=number, **options),
            state=state_from_since(
                since, lookback=watch_seconds("lookback", lookback, zero=True), aware=False
            ),
            key=item_id,
            stamp=_receipt_stamp,
            interval=watch_seconds("interval", interval).total_seconds(),
            sleep=self._seam.sleep,
        )

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

"""The orders resource: list, get, create and cancel (API §9.11).

Reads are pagers and gets from the facts in ``_api`` (``ORDERS``, ``ORDER``);
``create`` is exactly-once by ``order_number`` or says it is unknown (see
``_order_create.py``); ``cancel`` sets a state and is retried like a GET.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

import attrs

from clopos_async._api._endpoints import ORDER, ORDER_UPDATE, ORDERS
from clopos_async._errors import ClientValueError
from clopos_async._pagination import Pager
from clopos_async._protocol import FilterValue, encode_list_query
from clopos_async._validation import (
    check_date,
    check_date_range,
    check_filters,
    check_order,
    shown,
)
from clopos_async._watch import Watcher, watch_list
from clopos_async._wire import decode
from clopos_async.models import Order, OrderCustomer, OrderProduct
from clopos_async.resources._base import (
    Resource,
    check_limit,
    check_path_id,
    item_id,
    plain_params,
)
from clopos_async.resources._order_create import Creator, build_request
from clopos_async.resources._seam import Seam

#: API §9.11: the one ``with[0]`` value of ``GET /orders/{id}``, three fields packed.
RECEIPT_INCLUDE = ORDER.includes[0]
ORDER_FILTERS = frozenset(field.name for field in ORDERS.filters)


class Orders(Resource):
    """``client.orders``: orders pushed to the POS (web shops, call centres)."""

    def __init__(self, seam: Seam) -> None:
        """Mounted by the client (``client.orders``); not built directly."""
        super().__init__(seam)
        self._creator = Creator(seam)

    def list(
        self,
        *,
        status: str | None = None,
        date_from: str | date | datetime | None = None,
        date_to: str | date | datetime | None = None,
        sort: str = "created_at",
        order: str | int = "desc",
        filters: Mapping[str, FilterValue] | Sequence[tuple[str, FilterValue]] | None = None,
        include: str | Iterable[str] = (),
        page: int = 1,
        limit: int = 50,
        max_items: int | None = None,
        concurrency: int = 1,
    ) -> Pager[Order]:
        """A lazy pager over ``GET /orders``.

        Args:
            status: PENDING, RECEIVED, IGNORE or DELIVERED (an ``OrderStatus`` too); None for all.
            date_from: the first ``created_at`` day (``YYYY-MM-DD``), inclusive.
            date_to: the last ``created_at`` day, inclusive.
            sort: ``created_at``, ``updated_at`` or ``id``.
            order: ``"asc"``, ``"desc"``, 1 or -1.
            filters: more ``filters[N]`` tuples, on the fields of ``ORDER_FILTERS``.
            include: ``customer`` and/or ``receipt``.
            page: the first page to read (1-based).
            limit: page size, 1-200.
            max_items: stop after this many orders (None: all).
            concurrency: pages in flight at once.

        Returns:
            A pager: ``await`` it for one page, ``async for`` it for every order.

        Raises:
            ClientValueError: a bad argument; nothing is sent.
        """
        start, end = check_date("date_from", date_from), check_date("date_to", date_to)
        check_date_range(start, end)
        size = check_limit(ORDERS, limit)
        query = _ListQuery(
            status=plain_params(ORDERS, {"status": _status(status)}),
            sort=_choice("sort", sort, ORDERS.sorts),
            order=check_order(order),
            date_from=start,
            date_to=end,
            include=_relations(include, ORDERS.includes),
            filters=tuple(check_filters(filters, fields=ORDER_FILTERS)),
        )
        return self._pager(
            ORDERS, Order, query.params, page=page, limit=size,
            max_items=max_items, concurrency=concurrency, key=item_id,
        )  # fmt: skip

    async def get(self, id: int | str, *, include_receipt: bool = False) -> Order:
        """One order by id.

        Args:
            id: the order's id.
            include_receipt: also read the receipt it opened (``Order.receipt``; None
                until the POS accepts the order).

        Returns:
            The ``Order``.

        Raises:
            ClientValueError: a bad argument; nothing is sent.
            NotFoundError: no such order.
            APIError: another error answer (a typed subclass per status).
            TransportError: no usable response arrived (connection, timeout).
            DecodeError: the answer was not the documented shape.
        """
        order_id = check_path_id("id", id)
        if not isinstance(include_receipt, bool):
            raise ClientValueError(
                f"include_receipt={shown(include_receipt)} is not allowed: True or False"
            )
        params = [("with[0]", RECEIPT_INCLUDE)] if include_receipt else []
        return await self._get(ORDER, Order, order_id, params)

    async def create(
        self,
        *,
        sale_type_id: int,
        venue_id: int,
        customer: OrderCustomer,
        products: Sequence[OrderProduct],
        order_number: str | None = None,
        comment: str | None = None,
        delivery_fee: Decimal | int | float | str | None = None,
        discount_type: int | None = None,
        discount_value: Decimal | int | float | str | None = None,
        service_charge: Decimal | int | float | str | None = None,
        auto_accept_terminal: int | None = None,
        auto_order_accept: bool = False,
        auto_order_sent_to_station: bool = False,
    ) -> Order:
        """Create an order (``POST /orders``); it starts PENDING (API §9.11).

        With an ``order_number`` (at most 20 characters) the create is exactly-once:
        an order with that number created today is returned instead of a new one, and
        after an ambiguous failure the SDK looks before it sends again. Without one,
        an ambiguous failure raises ``OutcomeUnknownError`` and nothing is sent twice.

        Args:
            sale_type_id: the sale type (``/sale-types``).
            venue_id: the venue (``/venues``).
            customer: who ordered.
            products: the lines, at least one.
            order_number: your own reference, the key that makes retries safe.
            comment: a note for the POS.
            delivery_fee: a fee >= 0.
            discount_type: 0 none, 1 percentage, 2 fixed amount (sent in ``discount``).
            discount_value: the discount's value (sent in ``discount``).
            service_charge: a rate, sent as ``{enabled: true, value}``.
            auto_accept_terminal: the terminal id that accepts the order by itself.
            auto_order_accept: accept without a clerk.
            auto_order_sent_to_station: send to the stations once accepted.

        Returns:
            The whole new ``Order`` (read back when the answer holds only its id).

        Raises:
            ClientValueError: a bad argument; nothing is sent.
            OutcomeUnknownError: no ``order_number`` and the answer was lost.
            BadRequestError: the server refused the body.
            APIError: another error answer (a typed subclass per status).
            TransportError: no usable response arrived (connection, timeout).
            DecodeError: the answer was not the documented shape.
        """
        request = build_request(
            sale_type_id=sale_type_id, venue_id=venue_id, customer=customer,
            products=products, order_number=order_number, comment=comment,
            delivery_fee=delivery_fee, discount_type=discount_type,
            discount_value=discount_value, service_charge=service_charge,
            auto_accept_terminal=auto_accept_terminal, auto_order_accept=auto_order_accept,
            auto_order_sent_to_station=auto_order_sent_to_station,
        )  # fmt: skip
        return await self._creator.create(request)

    async def cancel(self, id: int | str) -> Order:
        """Cancel a PENDING order: ``PUT {"status": "IGNORE"}``, retried like a GET.

        Args:
            id: the order's id.

        Returns:
            The updated ``Order``, as the API answered.

        Raises:
            ClientValueError: a bad id; nothing is sent.
            BadRequestError: the order is not PENDING (``validation_failed``).
            NotFoundError: no such order.
            APIError: another error answer (a typed subclass per status).
            TransportError: no usable response arrived (connection, timeout).
            DecodeError: the answer was not the documented shape.
        """
        order_id = check_path_id("id", id)
        data = await self._write(ORDER_UPDATE, order_id, {"status": "IGNORE"}, safe=True)
        return decode(Order, data)

    def watch(
        self,
        *,
        status: str | None = None,
        since: datetime | str | None = None,
        interval: float = 5.0,
        lookback: float = 2.0,
        limit: int = 50,
    ) -> Watcher[Order]:
        """Follow new and changed orders (by ``updated_at``), each change once, oldest first.

        Polls ``GET /orders`` sorted ``updated_at`` descending (API §9.14), through the
        client's limiter and retries; see ``receipts.watch`` and README "Change feeds".

        Args:
            status: only orders in this status (e.g. ``"PENDING"`` for new orders).
            since: ``None`` (from now), an aware UTC ``datetime``, or a checkpoint.
            interval: seconds between polls.
            lookback: seconds below the newest ``updated_at`` each poll reads again.
            limit: page size of each poll's requests.

        Returns:
            A ``Watcher``; ``watcher.checkpoint`` says where it stands.

        Raises:
            ClientValueError: an argument is not allowed; nothing is sent.
            APIError: while iterating, a poll got an error answer for good.
            TransportError: while iterating, a poll got no usable response for good.
            DecodeError: while iterating, a poll's answer was not the documented shape.
        """
        self.list(status=status, sort="updated_at", order="desc", limit=limit)  # checks now
        return watch_list(
            lambda number: self.list(
                status=status, sort="updated_at", order="desc", page=number, limit=limit
            ),
            since=since,
            interval=interval,
            lookback=lookback,
            aware=True,  # orders carry ISO 8601 ...Z timestamps (API §11)
            stamp=_order_stamp,
            sleep=self._seam.sleep,
        )


def _order_stamp(order: Order) -> datetime | None:
    return order.updated_at or order.created_at


@attrs.frozen(kw_only=True, slots=True)
class _ListQuery:
    """The checked, fixed part of a list call; only the page number varies."""

    status: list[tuple[str, str]]
    sort: str
    order: int
    date_from: date | None
    date_to: date | None
    include: tuple[str, ...]
    filters: tuple[tuple[str, FilterValue], ...]

    def params(self, page: int, limit: int) -> list[tuple[str, str]]:
        query = encode_list_query(
            page=page, limit=limit, sort=self.sort, order=self.order,
            date_from=self.date_from, date_to=self.date_to,
            include=self.include, filters=self.filters,
        )  # fmt: skip
        return [*query, *self.status]


def _status(value: object) -> object:
    """An ``OrderStatus`` travels as its value; anything else is checked by the facts."""
    return value.value if isinstance(value, Enum) else value


def _choice(name: str, value: object, allowed: Sequence[str]) -> str:
    if isinstance(value, str) and value in allowed:
        return value
    raise ClientValueError(
        f"{name}={shown(value)} is not allowed: one of "
        + ", ".join(repr(a) for a in allowed)
        + " is required"
    )


def _relations(value: object, allowed: Sequence[str]) -> tuple[str, ...]:
    """``include``: a relation name or an iterable of them; duplicates dropped."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (_choice("include", value, allowed),)
    if isinstance(value, (bytes, bytearray, Mapping)) or not isinstance(value, Iterable):
        raise ClientValueError(
            f"include={shown(value)} is not allowed: a relation name or an iterable of them"
        )
    items = [_choice(f"include[{i}]", item, allowed) for i, item in enumerate(value)]
    return tuple(dict.fromkeys(items))

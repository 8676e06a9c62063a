"""``orders.create``: a checked body, sent once, reconciled by ``order_number`` (DESIGN §2).

``POST /orders`` is not idempotent and the v2 API has no idempotency key (API §12),
so, like the exactly-once close (``_close.py``, whose ambiguous-failure set this
reuses):

* the pipeline retries the POST only when it surely never left (refused, 429);
* with an ``order_number``, the orders created today are searched first (a
  redelivered call returns the order it made before), concurrent calls with the
  same number in this process share one POST, and after an ambiguous failure
  (timeout, reset, 5xx, an unreadable 200) the orders created since just before
  the call are searched, newest first: found -> that order; not found -> send again;
* without one, an ambiguous failure is ``OutcomeUnknownError``: never sent twice.

The whole create, its POSTs and searching GETs, runs under one deadline.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs

from clopos_async._api._endpoints import ORDER, ORDER_CREATE, ORDERS
from clopos_async._errors import ClientValueError, DecodeError, OutcomeUnknownError
from clopos_async._protocol import encode_list_query
from clopos_async._retry import Deadline
from clopos_async._validation import check_id, check_optional_id, shown
from clopos_async._wire import decode, decode_list, money_to_wire
from clopos_async.models import Order, OrderCustomer, OrderModifier, OrderProduct
from clopos_async.models._checks import to_money
from clopos_async.resources._base import data_of, list_total
from clopos_async.resources._close import AMBIGUOUS
from clopos_async.resources._seam import Seam

#: API §9.11: ``order_number`` is a string of at most 20 characters.
MAX_ORDER_NUMBER = 20
#: Orders created this long before the call still count as "since just before the call":
#: the server's clock and ours are not the same clock.
CLOCK_SKEW = timedelta(minutes=5)
_SEARCH_PAGE = ORDERS.max_limit
#: Discount types (API §11): 0 none; the SDKs add 1 percentage and 2 fixed amount.
DISCOUNT_TYPES = (0, 1, 2)


def _now() -> datetime:
    """Wall-clock UTC now; order timestamps are ISO ``…Z`` (API §10.4)."""
    return datetime.fromtimestamp(time.time(), timezone.utc)


@attrs.frozen(kw_only=True, slots=True)
class OrderRequest:
    """A checked create: the JSON body, and the number it can be found by."""

    body: Mapping[str, Any]
    order_number: str | None


def build_request(**arguments: Any) -> OrderRequest:
    """Check every argument of ``orders.create`` and build its body (API §9.11).

    Raises:
        ClientValueError: naming the argument, its value and what is allowed.
    """
    a = arguments
    body: dict[str, Any] = {
        "sale_type_id": check_id("sale_type_id", a["sale_type_id"]),
        "venue_id": check_id("venue_id", a["venue_id"]),
        "customer": _customer(a["customer"]),
        "products": _products(a["products"]),
    }
    number = _order_number(a["order_number"])
    optional: dict[str, Any] = {
        "order_number": number,
        "comment": _optional_str("comment", a["comment"]),
        "delivery_fee": _optional_money("delivery_fee", a["delivery_fee"]),
        "discount": _discount(a["discount_type"], a["discount_value"]),
        "service_charge": _service_charge(a["service_charge"]),
        "auto_accept_terminal": check_optional_id(
            "auto_accept_terminal", a["auto_accept_terminal"]
        ),
    }
    body.update((key, value) for key, value in optional.items() if value is not None)
    body["auto_order_accept"] = _flag("auto_order_accept", a["auto_order_accept"])
    body["auto_order_sent_to_station"] = _flag(
        "auto_order_sent_to_station", a["auto_order_sent_to_station"]
    )
    return OrderRequest(body=body, order_number=number)


def _customer(value: object) -> dict[str, Any]:
    if not isinstance(value, OrderCustomer):
        raise ClientValueError(
            f"customer={shown(value)} is not allowed: an OrderCustomer is required"
        )
    wire: dict[str, Any] = {
        "id": value.id,
        "name": value.name,
        "phone": value.phone,
        "address": value.address,
    }
    if value.customer_discount_type is not None:
        wire["customer_discount_type"] = value.customer_discount_type
    return wire


def _products(value: object) -> list[dict[str, Any]]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise ClientValueError(
            f"products={shown(value)} is not allowed: a list of OrderProduct is required"
        )
    if not value:
        raise ClientValueError(
            "products=[] is not allowed: at least one OrderProduct is required (API §9.11)"
        )
    lines = []
    for index, item in enumerate(value):
        if not isinstance(item, OrderProduct):
            raise ClientValueError(
                f"products[{index}]={shown(item)} is not allowed: an OrderProduct is required"
            )
        lines.append(_line(item))
    return lines


def _line(product: OrderProduct) -> dict[str, Any]:
    wire: dict[str, Any] = {"product_id": product.product_id}
    if product.product_name is not None:
        wire["product_name"] = product.product_name
    wire["count"] = product.count
    wire["price"] = money_to_wire(product.price)
    wire["portion_size"] = money_to_wire(product.portion_size)
    wire["modifiers"] = [_modifier(m) for m in product.modifiers]
    if product.note is not None:
        wire["note"] = product.note
    return wire


def _modifier(modifier: OrderModifier) -> dict[str, Any]:
    wire: dict[str, Any] = {"modifier_id": modifier.modifier_id}
    if modifier.modifier_name is not None:
        wire["modifier_name"] = modifier.modifier_name
    wire["count"] = modifier.count
    wire["price"] = money_to_wire(modifier.price)
    wire["portion_size"] = money_to_wire(modifier.portion_size)
    return wire


def _order_number(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip() and len(value) <= MAX_ORDER_NUMBER:
        return value
    raise ClientValueError(
        f"order_number={shown(value)} is not allowed: None or a non-empty str of at most "
        f"{MAX_ORDER_NUMBER} characters is required (API §9.11)"
    )


def _optional_str(name: str, value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise ClientValueError(f"{name}={shown(value)} is not allowed: None or a str is required")


def _optional_money(name: str, value: object) -> int | float | None:
    if value is None:
        return None
    try:
        amount = to_money(value, "orders.create", name)
    except ClientValueError:
        amount = Decimal(-1)
    if amount < 0:
        raise ClientValueError(
            f"{name}={shown(value)} is not allowed: None or a finite number >= 0 is required"
        )
    return money_to_wire(amount)


def _discount(kind: object, value: object) -> dict[str, Any] | None:
    """The flat ``discount_*`` arguments travel as the ``discount`` object (DESIGN §1)."""
    if kind is None and value is None:
        return None
    if kind is not None and (isinstance(kind, bool) or kind not in DISCOUNT_TYPES):
        raise ClientValueError(
            f"discount_type={shown(kind)} is not allowed: None, 0 (none), 1 (percentage) "
            "or 2 (fixed amount) is required (API §11)"
        )
    amount = _optional_money("discount_value", value)
    return {"discount_type": kind or 0, "discount_value": amount if amount is not None else 0}


def _service_charge(rate: object) -> dict[str, Any] | None:
    amount = _optional_money("service_charge", rate)
    return None if amount is None else {"enabled": True, "value": amount}


def _flag(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise ClientValueError(f"{name}={shown(value)} is not allowed: True or False is required")


class Creator:
    """Runs an OrderRequest to exactly one new order, or says the outcome is unknown."""

    def __init__(self, seam: Seam) -> None:
        self._seam = seam
        self._in_flight: dict[str, asyncio.Future[Order]] = {}

    async def create(self, request: OrderRequest) -> Order:
        number = request.order_number
        if number is None:
            return await self._create(request)
        shared = self._in_flight.get(number)
        if shared is not None:
            return await asyncio.shield(shared)  # the same order, one POST (DESIGN §2)
        task = asyncio.ensure_future(self._create(request))
        self._in_flight[number] = task
        task.add_done_callback(lambda _: self._in_flight.pop(number, None))
        return await asyncio.shield(task)

    async def _create(self, request: OrderRequest) -> Order:
        limit = await self._seam.begin_operation()
        since = _now() - CLOCK_SKEW
        if request.order_number is not None:
            # A redelivered call: the order may already exist from an earlier call today.
            day = since.replace(hour=0, minute=0, second=0, microsecond=0)
            found = await self._find(request.order_number, day, limit)
            if found is not None:
                return found
        return await self._send_until_known(request, since, limit)

    async def _send_until_known(
        self, request: OrderRequest, since: datetime, limit: Deadline
    ) -> Order:
        attempts = self._seam.max_attempts
        for attempt in range(1, attempts + 1):
            try:
                return await self._post(request, limit)
            except AMBIGUOUS as failure:
                if request.order_number is None:
                    raise _unknown(failure) from failure
                found = await self._find(request.order_number, since, limit)
                if found is not None:
                    return found
                if attempt == attempts or limit.left() <= 0:
                    raise
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    async def _post(self, request: OrderRequest, limit: Deadline) -> Order:
        envelope = await self._seam.send(
            "POST", ORDER_CREATE.path, json=dict(request.body), safe=False, shared_deadline=limit
        )
        return await self._created(data_of(envelope), limit)

    async def _created(self, data: Any, limit: Deadline) -> Order:
        """Either create response (API §15 item 19): a whole order, or the id in ``payload``."""
        if isinstance(data, Mapping) and "id" in data:
            return decode(Order, data)
        payload = data.get("payload") if isinstance(data, Mapping) else None
        new_id = payload.get("id") if isinstance(payload, Mapping) else None
        if isinstance(new_id, bool) or not isinstance(new_id, int):
            raise DecodeError(
                f"expected the new order's id, got {new_id!r}", path="data.payload.id"
            )
        path = ORDER.path.format(id=new_id)
        envelope = await self._seam.send("GET", path, shared_deadline=limit)
        return decode(Order, data_of(envelope))

    async def _find(self, number: str, since: datetime, limit: Deadline) -> Order | None:
        """The order with ``number`` created at or after ``since``, newest first, or None."""
        page = 1
        while True:
            params = encode_list_query(
                page=page, limit=_SEARCH_PAGE, sort="created_at", order=-1,
                date_from=since.date(), date_to=_now().date(),
            )  # fmt: skip
            envelope = await self._seam.send(
                "GET", ORDERS.path, params=params, shared_deadline=limit
            )
            orders = decode_list(Order, data_of(envelope))
            for order in orders:
                if order.created_at is not None and order.created_at < since:
                    return None  # newest first: everything after is older still
                if _number_of(order) == number:
                    return order
            if len(orders) < _SEARCH_PAGE or page * _SEARCH_PAGE >= list_total(envelope):
                return None
            page += 1


def _number_of(order: Order) -> str | None:
    """Where an order keeps the ``order_number`` it was created with.

    (inference) API §10.4 does not list it: read the top-level field, else ``payload``'s.
    """
    if order.order_number is not None:
        return order.order_number
    payload = order.payload
    kept = payload.extra.get("order_number") if payload is not None else None
    return kept if isinstance(kept, str) else None


def _unknown(failure: BaseException) -> OutcomeUnknownError:
    return OutcomeUnknownError(
        method="POST",
        path=ORDER_CREATE.path,
        cause=failure,
        check=(
            "Look for the order with orders.list(status='PENDING', date_from=today) before "
            "creating it again; pass order_number= to let the SDK do this for you."
        ),
    )

"""The sandbox's orders (API §9.11, §10.4, §10.5): a store, its four routes, and acceptance.

One job: keep the orders, answer ``GET /orders`` (status, date range, sort 1/-1,
``with[N]`` customer/receipt, filters), ``GET|PUT /orders/{id}`` and ``POST /orders``,
and log every state change in the sandbox's ``changes`` so tests count duplicates.
``accept`` plays the POS: PENDING -> RECEIVED, which opens a receipt (API §9.11
"RECEIVED orders automatically become open receipts").

Choices where the API is silent (README "Choices…"): ``PUT`` takes only
``{"status": "IGNORE"}`` and only on a PENDING order, else 400 ``validation_failed``
"Status is not allowed"; repeating it on an IGNORE order answers 200 with no change
(a state set twice is set once). ``order_number`` is echoed at the top of the row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Literal

import orjson

from clopos_async._api._endpoints import ORDER, ORDERS
from clopos_async.testing._collections import pagination_reply, parse_list_query
from clopos_async.testing._log import StateChange
from clopos_async.testing._query import filter_groups, invalid
from clopos_async.testing._reference import SALE_TYPES
from clopos_async.testing._store import ReceiptStore
from clopos_async.testing._wire import Call, Rejected, Reply, object_reply

CreateShape = Literal["payload", "order"]
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WITH = re.compile(r"with\[\d*\]")
_STATUSES = ("PENDING", "RECEIVED", "IGNORE", "DELIVERED")
#: Customers orders refer to by id (``with[]=customer``; API §10.6 keeps more fields).
CUSTOMERS: dict[int, dict[str, Any]] = {
    n: {"id": n, "name": name, "phone": f"99450000000{n}", "address": f"{n} Nizami St",
        "customer_discount_type": 0, "email": None, "group_id": 1}
    for n, name in enumerate(("Aysel", "Rashad", "Leyla", "Murad", "Nigar"), start=1)
}  # fmt: skip


def iso(moment: datetime) -> str:
    """ISO 8601 with microseconds and ``Z`` (API §10.4)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _failed(message: str) -> Rejected:
    return Rejected(400, "validation_failed", message)


class OrdersEndpoints:
    """The orders of one sandbox and the routes that serve them."""

    def __init__(
        self,
        receipts: ReceiptStore,
        changes: list[StateChange],
        *,
        now: Callable[[], datetime] | None = None,
    ):
        self._receipts = receipts
        self._now = now or (lambda: datetime.now(timezone.utc))
        self._rows: dict[int, dict[str, Any]] = {}
        self._changes = changes  # the sandbox's one log: created, cancelled, accepted
        #: Which documented create answer ``POST /orders`` gives (API §15 item 19).
        self.create_shape: CreateShape = "payload"
        self._seed()

    def routes(
        self,
    ) -> list[tuple[re.Pattern[str], dict[str, Callable[[Call, str | None], Reply]]]]:
        """``/orders`` (GET, POST) and ``/orders/{id}`` (GET, PUT)."""
        return [
            (re.compile(r"/orders()"), {"GET": self.list, "POST": self.create}),
            (re.compile(r"/orders/([^/]+)"), {"GET": self.get, "PUT": self.put}),
        ]

    # --- state -------------------------------------------------------------------------

    def _seed(self) -> None:
        """Fixed orders in every status, two days apart from 2025-08-01, venue 1."""
        start = datetime(2025, 8, 1, 10, 0, tzinfo=timezone.utc)
        for n in range(1, 25):
            body = _seed_body(n)
            row = self._insert(body, start + timedelta(hours=11 * n))
            row["status"] = _STATUSES[n % len(_STATUSES)]
            if row["status"] in ("RECEIVED", "DELIVERED") and n in self._receipts:
                row["receipt_id"] = n

    def _insert(self, body: dict[str, Any], moment: datetime) -> dict[str, Any]:
        order_id = len(self._rows) + 1
        stamp = iso(moment)
        row = {
            "id": order_id, "venue_id": body["venue_id"], "type": "CALL_CENTER_ORDER",
            "integration": "call_center_new", "integration_uuid": None, "integration_id": None,
            "integration_status": "CREATED", "customer_ref_id": None,
            "order_number": body.get("order_number"), "status": "PENDING",
            "receive_user_id": None, "receive_terminal_id": None, "payload": _payload(body),
            "integration_response": None, "created_at": stamp, "updated_at": stamp,
        }  # fmt: skip
        self._rows[order_id] = row
        return row

    def row(self, order_id: int) -> dict[str, Any]:
        """A copy of the order's wire dict (no includes)."""
        return dict(orjson.loads(orjson.dumps(self._known(str(order_id)))))

    def ids(self, status: str | None = None) -> list[int]:
        """Ascending ids, optionally of one status."""
        return [i for i, row in self._rows.items() if status in (None, row["status"])]

    def accept(self, order_id: int) -> int:
        """The POS accepts a PENDING order: RECEIVED, and an open receipt for its amount.

        Returns:
            The new receipt's id.
        """
        row = self._known(str(order_id))
        if row["status"] != "PENDING":
            raise ValueError(f"order {order_id} is {row['status']}, not PENDING")
        # Receipts keep venue local time (API §11); a second back, so that a close in the
        # same second is still after created_at (the close rule of ``_rules.py``).
        local = datetime.now().replace(microsecond=0) - timedelta(seconds=1)
        (receipt_id,) = self._receipts.add([local])
        receipt = self._receipts.wire(receipt_id)
        total = _wire_money(amount(row["payload"]))
        receipt.update(
            status=1, closed_at=None, payment_methods=[], total=total, remaining=total,
            order_status="NEW", order_number=row["order_number"],
            sale_type_id=row["payload"]["service"]["sale_type_id"],
        )  # fmt: skip
        self._receipts.replace(receipt_id, receipt)
        row.update(status="RECEIVED", receipt_id=receipt_id, receive_user_id=1,
                   receive_terminal_id=1, updated_at=iso(self._now()))  # fmt: skip
        self._changed(row, "accept", detail={"receipt_id": receipt_id})
        return receipt_id

    # --- routes ------------------------------------------------------------------------

    def list(self, call: Call, raw_id: str | None) -> Reply:
        query = parse_list_query(ORDERS, call.query)
        scalars = dict(call.query)
        found = [row for row in self._rows.values() if _wanted(row, query.params, scalars)]
        found = [row for row in found if _filtered(row, call.query)]
        field, descending = _sort(scalars)
        found.sort(key=lambda row: (row[field], row["id"]), reverse=descending)
        includes = _includes(call.query, ORDERS.includes)
        start = (query.page - 1) * query.limit
        rows = [self._shown(row, includes) for row in found[start : start + query.limit]]
        return pagination_reply(call, rows, page=query.page, limit=query.limit, total=len(found))

    def get(self, call: Call, raw_id: str | None) -> Reply:
        row = self._known(raw_id)
        wanted = _includes(call.query, ORDER.includes)
        return object_reply(call, self._shown(row, frozenset("receipt" for _ in wanted)))

    def create(self, call: Call, raw_id: str | None) -> Reply:
        body = parse_create_body(call.body)
        row = self._insert(body, self._now())
        self._changed(row, "create")
        if self.create_shape == "order":
            return object_reply(call, orjson.dumps(row), message="Order created")
        brief = {k: row[k] for k in ("id", "venue_id", "created_at", "updated_at")}
        data = orjson.dumps({"status": "PENDING", "payload": brief})
        return object_reply(call, data, message="Order created")

    def put(self, call: Call, raw_id: str | None) -> Reply:
        row = self._known(raw_id)
        try:
            body = orjson.loads(call.body)
        except orjson.JSONDecodeError:
            body = None
        if body != {"status": "IGNORE"}:
            raise _failed("Status is not allowed")  # API §9.11: only IGNORE
        if row["status"] != "IGNORE":
            if row["status"] != "PENDING":
                raise _failed("Status is not allowed")
            row.update(status="IGNORE", updated_at=iso(self._now()))
            self._changed(row, "cancel")
        return object_reply(call, orjson.dumps(row))

    def _changed(
        self, row: dict[str, Any], action: str, detail: dict[str, Any] | None = None
    ) -> None:
        change = StateChange(resource="orders", action=action, id=row["id"],
                             key=row["order_number"], detail=detail or {})  # fmt: skip
        self._changes.append(change)

    def _known(self, raw_id: str | None) -> dict[str, Any]:
        if raw_id and raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 19:
            row = self._rows.get(int(raw_id))
            if row is not None:
                return row
        raise Rejected(404, ORDER.not_found, "Order not found")

    def _shown(self, row: dict[str, Any], includes: frozenset[str]) -> bytes:
        shown = dict(row)
        if "customer" in includes:
            wanted = row["payload"]["customer"]
            shown["customer"] = CUSTOMERS.get(wanted["id"], wanted)
        if "receipt" in includes:
            shown["receipt"] = self._receipt_ref(row.get("receipt_id"))
        return orjson.dumps(shown)

    def _receipt_ref(self, receipt_id: int | None) -> dict[str, Any] | None:
        if receipt_id is None or receipt_id not in self._receipts:
            return None
        status = self._receipts.wire(receipt_id)["status"]
        return {"id": receipt_id, "service_notification_id": None, "status": status}


# --- queries -----------------------------------------------------------------------------


def _wanted(row: dict[str, Any], params: dict[str, object] | Any, scalars: dict[str, str]) -> bool:
    if "status" in params and row["status"] != params["status"]:
        return False
    day = date.fromisoformat(row["created_at"][:10])
    low, high = _day(scalars, "date[0]"), _day(scalars, "date[1]")
    return (low is None or day >= low) and (high is None or day <= high)


def _day(scalars: dict[str, str], name: str) -> date | None:
    raw = scalars.get(name)
    if raw is None:
        return None
    try:
        if _DATE.fullmatch(raw):
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise invalid(name, raw, "a date YYYY-MM-DD")


def _sort(scalars: dict[str, str]) -> tuple[str, bool]:
    field = scalars.get("sort[0]", ORDERS.default_sort or "created_at")
    if field not in ORDERS.sorts:
        raise invalid("sort[0]", field, "one of " + ", ".join(ORDERS.sorts))
    direction = scalars.get("sort[1]", "-1")
    if direction not in ("1", "-1"):
        raise Rejected(400, "invalid_parameter", "sort[1] must be 1 or -1")
    return field, direction == "-1"


def _includes(pairs: Iterable[tuple[str, str]], allowed: tuple[str, ...]) -> frozenset[str]:
    found = set()
    for key, value in pairs:
        if _WITH.fullmatch(key):
            if value not in allowed:
                raise invalid(key, value, "one of " + ", ".join(allowed))
            found.add(value)
    return frozenset(found)


def _filtered(row: dict[str, Any], pairs: Iterable[tuple[str, str]]) -> bool:
    for index, field, values in filter_groups(pairs):
        if ORDERS.filter(field) is None:
            raise invalid(f"filters[{index}][0]", field, "an order field")
        if str(row.get(field)) not in values:
            return False
    return True


# --- bodies ------------------------------------------------------------------------------


def parse_create_body(raw: bytes) -> dict[str, Any]:
    """The checked ``POST /orders`` body (API §9.11), or 400 ``validation_failed``."""
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise _failed("The body must be a JSON object") from None
    if not isinstance(body, dict):
        raise _failed("The body must be a JSON object")
    for name in ("sale_type_id", "venue_id"):
        _positive_int(body.get(name), name)
    customer = body.get("customer")
    if not isinstance(customer, dict):
        raise _failed("The customer field is required")
    _positive_int(customer.get("id"), "customer.id")
    for name in ("name", "phone", "address"):
        if not isinstance(customer.get(name), str):
            raise _failed(f"The customer.{name} field is required")
    products = body.get("products")
    if not isinstance(products, list) or not products:
        raise _failed("The products field must have at least 1 item")
    for index, line in enumerate(products):
        _check_line(line, index)
    number = body.get("order_number")
    if number is not None and (not isinstance(number, str) or len(number) > 20):
        raise _failed("The order_number may not be greater than 20 characters")
    return body


def _check_line(line: object, index: int) -> None:
    if not isinstance(line, dict):
        raise _failed(f"products.{index} must be an object")
    _positive_int(line.get("product_id"), f"products.{index}.product_id")
    _positive_int(line.get("count"), f"products.{index}.count")
    price = line.get("price")
    if isinstance(price, bool) or not isinstance(price, (int, float)) or price < 0:
        raise _failed(f"The products.{index}.price must be a number >= 0")


def _positive_int(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _failed(f"The {name} field must be a positive integer")


def _payload(body: dict[str, Any]) -> dict[str, Any]:
    """What the POS receives (API §10.5): service, customer, lines, meta and flags."""
    return {
        "service": {"sale_type_id": body["sale_type_id"], "venue_id": body["venue_id"]},
        "customer": body["customer"],
        "products": [{"status": "new", **line} for line in body["products"]],
        "meta": {k: body[k] for k in ("comment", "discount", "service_charge") if k in body},
        "auto_order_accept": body.get("auto_order_accept", False),
        "auto_order_sent_to_station": body.get("auto_order_sent_to_station", False),
        "delivery_fee": body.get("delivery_fee", 0),
    }


def amount(payload: dict[str, Any]) -> Decimal:
    """An order's amount: lines (price x count, modifiers too) plus the delivery fee."""
    total = Decimal(str(payload.get("delivery_fee") or 0))
    for line in payload["products"]:
        unit = Decimal(str(line["price"]))
        for modifier in line.get("modifiers") or ():
            unit += Decimal(str(modifier.get("price", 0))) * modifier.get("count", 1)
        total += unit * line["count"]
    return total


def _wire_money(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _seed_body(n: int) -> dict[str, Any]:
    customer = CUSTOMERS[1 + n % len(CUSTOMERS)]
    return {
        "sale_type_id": SALE_TYPES[n % len(SALE_TYPES)][0],
        "venue_id": 1,
        "customer": {k: customer[k] for k in ("id", "name", "phone", "address")},
        "products": [{"product_id": 1 + n % 7, "count": 1 + n % 3, "price": 8.5,
                      "portion_size": 1, "modifiers": []}],
        "order_number": f"SEED-{n:04d}",
        "delivery_fee": 2 if n % 3 == 0 else 0,
    }  # fmt: skip

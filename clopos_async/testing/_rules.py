"""The write rules of receipts: close (``POST /receipts/{id}/close``) and ``PATCH``.

One job: check a close or patch body against a receipt's wire dict, raising the
documented 400s (API §9.12), and apply it to that dict.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeGuard

import attrs
import orjson

from clopos_async._api._endpoints import RECEIPT_ORDER_STATUSES
from clopos_async.testing._reference import wire_datetime
from clopos_async.testing._wire import Rejected

#: API §9.12: the only receipt fields PATCH may change, and the order statuses of §11.
ORDER_STATUSES = RECEIPT_ORDER_STATUSES
WRITABLE_FIELDS = ("order_status", "order_number", "fiscal_id", "lock")
_WIRE_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


def _failed(message: str) -> Rejected:
    return Rejected(400, "validation_failed", message)


@attrs.frozen(kw_only=True, slots=True)
class CloseOrder:
    """A well-formed close body: payments ``{id, name, amount}`` and an optional closed_at."""

    payment_methods: list[dict[str, Any]]
    closed_at: datetime | None


def parse_wire_datetime(raw: object, name: str) -> datetime:
    """A ``YYYY-MM-DD HH:mm:ss`` string (API §11) as a naive datetime, else a 400."""
    if isinstance(raw, str) and _WIRE_DATETIME.fullmatch(raw):
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            pass
    raise _failed(f"{name}={raw!r} is invalid: a date-time YYYY-MM-DD HH:mm:ss is required")


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        parsed = orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        parsed = None
    if not isinstance(parsed, dict):
        raise _failed("The request body must be a JSON object")
    return parsed


def parse_close_body(body: bytes) -> CloseOrder:
    """The close body of API §9.12: ``payment_methods`` (min 1) and optional ``closed_at``."""
    fields = _json_object(body)
    methods = fields.get("payment_methods")
    if not isinstance(methods, list) or not methods:
        raise _failed("payment_methods is required: an array of at least one {id, name, amount}")
    closed_at = fields.get("closed_at")
    return CloseOrder(
        payment_methods=[_payment_method(item, index) for index, item in enumerate(methods)],
        closed_at=None if closed_at is None else parse_wire_datetime(closed_at, "closed_at"),
    )


def _payment_method(item: object, index: int) -> dict[str, Any]:
    """One ``{id, name, amount}`` entry (API §10.3: all three required)."""
    where = f"payment_methods[{index}]"
    if not isinstance(item, Mapping):
        raise _failed(f"{where} must be an object {{id, name, amount}}")
    method_id, name, amount = item.get("id"), item.get("name"), item.get("amount")
    if not _is_int(method_id) or method_id < 1:
        raise _failed(f"{where}.id={method_id!r} is invalid: a payment method id is required")
    if not isinstance(name, str) or not name:
        raise _failed(f"{where}.name={name!r} is invalid: a non-empty string is required")
    if not _is_number(amount) or amount < 0:
        raise _failed(f"{where}.amount={amount!r} is invalid: a number >= 0 is required")
    return {"id": method_id, "name": name, "amount": amount}


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> TypeGuard[int | float]:
    if isinstance(value, float):
        return math.isfinite(value)
    return _is_int(value)


def check_close(receipt: Mapping[str, Any], order: CloseOrder, now: datetime) -> datetime:
    """The closed_at to apply, or the 400 the close earns (API §9.12, with our choices)."""
    # Undocumented (API §9.12, §15.3): the API says a receipt "must be open"; we
    # answer a close of a receipt that is not open with 400 validation_failed.
    if receipt["status"] != 1:
        raise _failed("Receipt is not open")
    closed_at = order.closed_at or now.replace(microsecond=0)
    if closed_at <= datetime.fromisoformat(receipt["created_at"]):
        raise _failed("closed_at must be greater than created_at")
    # Undocumented in v2 (API §15.3); v1 says the payments should equal the total,
    # so under- and over-payment are 400 validation_failed here.
    paid = sum((_decimal(m["amount"]) for m in order.payment_methods), Decimal(0))
    total = _decimal(receipt["total"])
    if paid != total:
        raise _failed(f"payment_methods amounts sum to {paid} but the receipt total is {total}")
    return closed_at


def _decimal(amount: int | float) -> Decimal:
    # str() first: Decimal(8.14) would carry the binary float's long tail.
    return Decimal(str(amount))


def apply_close(
    receipt: dict[str, Any],
    payment_methods: list[dict[str, Any]],
    closed_at: datetime,
    now: datetime,
) -> dict[str, Any]:
    """``receipt`` (a fresh copy, changed in place) closed with ``payment_methods``."""
    stamp = wire_datetime(closed_at)
    receipt.update(
        status=2,
        closed_at=stamp,
        updated_at=wire_datetime(now),
        payment_methods=[dict(method) for method in payment_methods],
        remaining=0,
        by_cash=_paid_by(payment_methods, "cash"),
        by_card=_paid_by(payment_methods, "card"),
    )
    meta = receipt.get("meta")
    if isinstance(meta, dict):
        meta["check_close_event"] = {"checked": True, "operated_at": stamp, "fails": []}
    return receipt


def _paid_by(methods: list[dict[str, Any]], kind: str) -> int | float:
    """The amount paid by ``kind``, in the dataset's one scale (see ``_data.money``)."""
    paid = sum((_decimal(m["amount"]) for m in methods if m["name"].lower() == kind), Decimal(0))
    if paid == paid.to_integral_value():
        return int(paid)
    return float(paid)


def parse_patch_body(body: bytes) -> dict[str, Any]:
    """The writable fields of a ``PATCH /receipts/{id}`` body (API §9.12)."""
    fields = _json_object(body)
    if not fields:
        raise _failed(f"Nothing to update: send one of {', '.join(WRITABLE_FIELDS)}")
    for name, value in fields.items():
        if name not in WRITABLE_FIELDS:
            raise _failed(f"{name} is read-only: writable fields are {', '.join(WRITABLE_FIELDS)}")
        _check_writable(name, value)
    return fields


def _check_writable(name: str, value: object) -> None:
    if name == "order_status" and value not in ORDER_STATUSES:
        raise _failed(f"order_status={value!r} is invalid: one of {', '.join(ORDER_STATUSES)}")
    if name in ("order_number", "fiscal_id") and not (value is None or isinstance(value, str)):
        raise _failed(f"{name}={value!r} is invalid: a string or null is required")
    if name == "lock" and not isinstance(value, bool):
        raise _failed(f"lock={value!r} is invalid: true or false is required")


def apply_patch(receipt: dict[str, Any], changes: dict[str, Any], now: datetime) -> dict[str, Any]:
    """``receipt`` (a fresh copy, changed in place) with ``changes`` and a new updated_at."""
    receipt.update(changes)
    receipt["updated_at"] = wire_datetime(now)
    return receipt

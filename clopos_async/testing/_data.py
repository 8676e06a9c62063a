"""Seeded synthetic receipts in the wire shape of API §10.1-10.3, as plain dicts.

One job: turn a seeded random stream into receipts whose money adds up exactly (the
ids they point at are in ``_reference.py``, their line items in ``_lines.py``).

Money is computed in integer *cents*: integer arithmetic is exact like Decimal and
several times faster, which keeps a 100,000-receipt build within seconds. Every
amount is in major currency units, one scale for the whole dataset so that
amounts compare (and sort) by value. API §11 notes both JSON number kinds on the
wire, so a whole amount is written as a JSON integer (``12``, ``30``) and any
other as a JSON float with at most two decimals (``8.14``, ``12.5``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

import attrs

from clopos_async.testing._lines import LinePlan, item_cents, seeded_uuid
from clopos_async.testing._reference import (
    CATALOG,
    CLOSED_ORDER_STATUSES,
    METHOD_NAMES,
    MODIFIER_IDS,
    OPEN_ORDER_STATUSES,
    SALE_TYPES,
    USERS,
    money,
    wire_datetime,
)

_T = TypeVar("_T")


def spread_created_at(rng: random.Random, count: int, start: date, days: int) -> list[datetime]:
    """``count`` ascending moments over ``days`` days from ``start``, each within 08:00-22:00.

    Ending at 22:00 leaves room for ``add_receipts`` to append later the same day.
    """
    opening = datetime.combine(start, time(8, 0))
    business = 14 * 3600
    offsets = sorted(
        (int(rng.random() * days) * 86_400 + int(rng.random() * business)) for _ in range(count)
    )
    return [opening + timedelta(seconds=offset) for offset in offsets]


def _pick(rng: random.Random, options: Sequence[_T]) -> _T:
    """``rng.choice`` without its overhead: the build loop draws ~40 values a receipt."""
    return options[int(rng.random() * len(options))]


def _between(rng: random.Random, low: int, high: int) -> int:
    """``rng.randint`` (inclusive bounds) without its overhead."""
    return low + int(rng.random() * (high - low + 1))


@attrs.frozen(kw_only=True, slots=True)
class Generated:
    """One generated receipt: its wire dict (without ``receipt_products``) and line recipe."""

    receipt: dict[str, Any]
    lines: LinePlan


@attrs.frozen(kw_only=True, slots=True)
class _Discount:
    """A receipt-level discount: kind 0 none, 1 percentage, 2 fixed (API §10.1, §11)."""

    kind: int
    rate: int
    cents: int


@attrs.frozen(kw_only=True, slots=True)
class _Totals:
    """A receipt's money, in cents."""

    subtotal: int
    discount: _Discount
    service_rate: int
    service: int
    delivery: int

    @property
    def total(self) -> int:
        return self.subtotal - self.discount.cents + self.service + self.delivery


class ReceiptFactory:
    """Generates receipts from one seeded random stream: same seed, same receipts."""

    def __init__(self, *, seed: int, open_ratio: float, venue_id: int = 1) -> None:
        self.rng = random.Random(seed)
        self.open_ratio = open_ratio
        self.venue_id = venue_id
        self._daily: dict[date, int] = {}
        self._monthly: dict[tuple[int, int], int] = {}
        self._shift_cids: dict[date, str] = {}

    def build(self, receipt_id: int, created_at: datetime) -> Generated:
        """A receipt with ``receipt_id`` created at ``created_at`` (naive, venue local time)."""
        rng = self.rng
        is_open = rng.random() < self.open_ratio
        sale_type = _pick(rng, _SALE_TYPE_MIX)
        items = tuple(self._item() for _ in range(_between(rng, 1, 4)))
        totals = self._totals(sum(item_cents(item) for item in items), sale_type[0])
        receipt = self._receipt(receipt_id, created_at, sale_type, totals)
        if is_open:
            _make_open(receipt, totals.total)
        else:
            self._make_closed(receipt, created_at, totals.total)
        plan = LinePlan(
            receipt_id=receipt_id,
            stamp=receipt["created_at"],
            discount=totals.discount.cents,
            items=items,
            cid_seed=rng.getrandbits(64),
        )
        return Generated(receipt=receipt, lines=plan)

    def _item(self) -> tuple[int, int, tuple[int, ...]]:
        """(product id, count, modifier ids) of one line."""
        rng = self.rng
        product = _pick(rng, CATALOG)
        count = _pick(rng, (1, 1, 1, 1, 1, 1, 2, 2, 2, 3))
        # API §10.11: modifiers apply to DISH only; many dishes carry none (`[]`).
        how_many = _pick(rng, (0, 0, 1, 2)) if product.type == "DISH" else 0
        chosen = rng.sample(MODIFIER_IDS, how_many) if how_many else ()
        return product.id, count, tuple(chosen)

    # --- the receipt (API §10.1) -------------------------------------------------------

    def _totals(self, subtotal: int, sale_type_id: int) -> _Totals:
        rng = self.rng
        discount = _pick_discount(rng, subtotal)
        service_rate = _pick(rng, (0, 0, 10))
        return _Totals(
            subtotal=subtotal,
            discount=discount,
            service_rate=service_rate,
            service=(subtotal - discount.cents) * service_rate // 100,
            delivery=_pick(rng, (300, 500)) if sale_type_id == 2 else 0,
        )

    def _receipt(
        self,
        receipt_id: int,
        created_at: datetime,
        sale_type: tuple[int, str, str],
        totals: _Totals,
    ) -> dict[str, Any]:
        """The receipt of API §10.1 as unpaid; ``_make_open``/``_make_closed`` finish it."""
        people = (_between(self.rng, 1, len(USERS)), _between(self.rng, 1, 3))
        return {
            **self._head(receipt_id, sale_type[0], people),
            **_money_fields(totals),
            **self._tail(created_at, sale_type, people[0]),
            **self._additional(created_at, sale_type[0], people, totals),
        }

    def _head(self, receipt_id: int, sale_type_id: int, people: tuple[int, int]) -> dict[str, Any]:
        """Identity and status fields; ``people`` is (user id, terminal id)."""
        rng = self.rng
        return {
            "id": receipt_id,
            "cid": self._uuid(),
            "venue_id": self.venue_id,
            "customer_id": _between(rng, 1, 500) if rng.random() < 0.3 else None,
            "user_id": people[0],
            "terminal_id": people[1],
            "sale_type_id": sale_type_id,
            "source": "web" if rng.random() < 0.15 else "pos",
            "guests": _between(rng, 1, 6),
            "status": 2,
            "order_status": "COMPLETED",
            "order_number": f"RPO-{receipt_id:05d}" if sale_type_id == 2 else None,
            "lock": False,
            "inventory_status": 0,
            "report_status": 3,
            "printed": rng.random() < 0.7,
        }

    def _tail(
        self, created_at: datetime, sale_type: tuple[int, str, str], user_id: int
    ) -> dict[str, Any]:
        """Payments (none yet), texts, meta and timestamps."""
        rng = self.rng
        delivery = sale_type[0] == 2
        stamp = wire_datetime(created_at)
        return {
            "payment_methods": [],
            "fiscal_id": None,
            "loyalty_type": None,
            "loyalty_value": None,
            "address": f"{_between(rng, 1, 200)} Nizami St, Baku" if delivery else None,
            "description": "Call on arrival" if delivery and rng.random() < 0.3 else None,
            "meta": _receipt_meta(rng, created_at, sale_type[1], user_id),
            "properties": self._properties(created_at.date()),
            "created_at": stamp,
            "updated_at": stamp,
            "closed_at": None,
            "shift_date": created_at.date().isoformat(),
            "deleted_at": None,
        }

    def _additional(
        self,
        created_at: datetime,
        sale_type_id: int,
        people: tuple[int, int],
        totals: _Totals,
    ) -> dict[str, Any]:
        """Additional fields of the OpenAPI/v1 receipt schema (API §10.1), and two unknowns."""
        rng = self.rng
        dine_in = sale_type_id == 1
        return {
            "cash_shift_cid": self._shift_cid(created_at.date()),
            "open_by_user_id": people[0],
            "close_by_user_id": None,
            "closed_terminal_id": None,
            "table_id": _between(rng, 1, 30) if dine_in else None,
            "hall_id": _between(rng, 1, 3) if dine_in else None,
            "courier_id": _between(rng, 1, 5) if sale_type_id == 2 else None,
            "is_returns": False,
            "suspicion": 1 if rng.random() < 0.02 else 0,
            "totalCost": money(totals.subtotal * 35 // 100),
            # Keys no field table documents: clients must carry them through unchanged.
            "rps_discount": 0,
            "terminal_version": f"2.{14 + people[1]}.3",
        }

    def _make_closed(self, receipt: dict[str, Any], created_at: datetime, total: int) -> None:
        rng = self.rng
        closed = wire_datetime(created_at + timedelta(minutes=_between(rng, 5, 90)))
        payments = _split_payment(total, rng)
        by_method = dict(payments)
        receipt.update(
            status=2,
            order_status=_pick(rng, CLOSED_ORDER_STATUSES),
            closed_at=closed,
            updated_at=closed,
            payment_methods=[
                {"id": method, "name": METHOD_NAMES[method], "amount": money(cents)}
                for method, cents in payments
            ],
            by_cash=money(by_method.get(1, 0)),
            by_card=money(by_method.get(2, 0)),
            fiscal_id=f"FSC{int(rng.random() * 16**10):010X}" if rng.random() < 0.8 else None,
            close_by_user_id=receipt["user_id"],
            closed_terminal_id=receipt["terminal_id"],
        )
        receipt["meta"]["check_close_event"].update(checked=True, operated_at=closed)

    def _properties(self, day: date) -> dict[str, int]:
        """Per-day and per-month running numbers (API §10.1 ``properties``)."""
        month = (day.year, day.month)
        self._daily[day] = self._daily.get(day, 0) + 1
        self._monthly[month] = self._monthly.get(month, 0) + 1
        return {"daily_id": self._daily[day], "monthly_id": self._monthly[month]}

    def _shift_cid(self, day: date) -> str:
        if day not in self._shift_cids:
            self._shift_cids[day] = self._uuid()
        return self._shift_cids[day]

    def _uuid(self) -> str:
        return seeded_uuid(self.rng)


#: Sale type draws: 60 % dine-in, 20 % delivery, 20 % takeaway.
_SALE_TYPE_MIX = (SALE_TYPES[0],) * 3 + (SALE_TYPES[1], SALE_TYPES[2])


def _money_fields(totals: _Totals) -> dict[str, Any]:
    """The money block of API §10.1 for an unpaid receipt (payments come with the close)."""
    discount = totals.discount
    fixed = discount.kind == 2
    tax = totals.total * 18 // 118  # inclusive VAT share
    return {
        "total": money(totals.total),
        "subtotal": money(totals.subtotal),
        "original_subtotal": money(totals.subtotal),
        "gift_total": money(0),
        "discount_type": discount.kind,
        "discount_value": money(discount.cents) if fixed else discount.rate,
        "discount_rate": discount.rate,
        "total_discount": money(discount.cents),
        "service_charge": totals.service_rate,
        "service_charge_value": money(totals.service),
        "delivery_fee": money(totals.delivery),
        "remaining": money(0),
        "i_tax": money(tax),
        "e_tax": money(0),
        "total_tax": money(tax),
        "by_cash": money(0),
        "by_card": money(0),
    }


def _receipt_meta(
    rng: random.Random, created_at: datetime, sale_type_name: str, user_id: int
) -> dict[str, Any]:
    return {
        "preprint_count": _between(rng, 0, 2),
        "sale_type": {"name": sale_type_name},
        "user": {"name": USERS[user_id - 1]},
        "terminal_updated_at": int(created_at.timestamp()) * 1000,  # ms, API §11
        "availiableDeposit": 0,  # sic, API §10.1
        "check_close_event": {"checked": False, "operated_at": None, "fails": []},
    }


def _pick_discount(rng: random.Random, subtotal: int) -> _Discount:
    draw = rng.random()
    if draw < 0.1:
        rate = _pick(rng, (5, 10, 15))
        return _Discount(kind=1, rate=rate, cents=subtotal * rate // 100)
    if draw < 0.2:
        return _Discount(kind=2, rate=0, cents=min(subtotal // 2, _pick(rng, (100, 200, 500))))
    return _Discount(kind=0, rate=0, cents=0)


def _split_payment(total: int, rng: random.Random) -> list[tuple[int, int]]:
    """Payments as (method id, cents) that sum exactly to ``total``."""
    draw = rng.random()
    if draw < 0.6 or total < 300:
        return [(_pick(rng, (1, 2)), total)]
    first = total * _between(rng, 20, 80) // 100
    if draw < 0.9:
        return [(1, first), (2, total - first)]
    bonus = min(total - first - 1, _pick(rng, (100, 200)))
    return [(1, first), (2, total - first - bonus), (3, bonus)]


def _make_open(receipt: dict[str, Any], total: int) -> None:
    """An open receipt (status 1) is unpaid: no payments and ``remaining`` is the total."""
    receipt.update(
        status=1,
        order_status=OPEN_ORDER_STATUSES[receipt["id"] % len(OPEN_ORDER_STATUSES)],
        remaining=money(total),
    )

"""Seeded catalogues of the sandbox: venues, users, sale types, payment methods.

One job: build their rows from the ids the receipts already use (``_data``), so every
``venue_id``, ``user_id``, ``sale_type_id`` and ``payment_methods[].id`` a receipt
carries exists here (API §9.3, §9.4, §9.10; §10.12-§10.14), and serve them as
``Collection``s. A few rows take the older documented shapes (API §15 items 15, 17).
"""

from __future__ import annotations

from typing import Any

from clopos_async._api._endpoints import PAYMENT_METHODS, SALE_TYPES, USER, USERS, VENUES
from clopos_async.testing._collections import Collection
from clopos_async.testing._reference import PAYMENT_METHODS as RECEIPT_METHODS
from clopos_async.testing._reference import SALE_TYPES as RECEIPT_SALE_TYPES
from clopos_async.testing._reference import USERS as USER_NAMES

#: A payment method no seeded receipt uses, disabled at venue 1: the catalogue is a superset.
_EXTRA_METHODS = ((4, "Voucher"),)
_CHANNELS = {"IN": "pos", "DELIVERY": "web", "TAKEAWAY": "pos"}


def _iso(day: int, hour: int) -> str:
    return f"2025-07-{day:02d}T{hour:02d}:00:00.000000Z"


def venue_rows() -> list[dict[str, Any]]:
    """Venue 1 (the receipts' venue) and 3 in the prose shape, 2 in the OpenAPI shape."""
    return [
        {"id": 1, "name": "Baku Central", "address": "Nizami st. 10", "status": 1,
         "phone": "+994501234567", "email": "central@example.com"},
        {"id": 2, "name": "Ganja", "is_main": 0, "media": []},
        {"id": 3, "name": "Sumgait", "address": "Sulh st. 3", "status": 0,
         "phone": "+994507654321", "email": "sumgait@example.com"},
    ]  # fmt: skip


def user_rows() -> list[dict[str, Any]]:
    """The receipts' users 1..N (current v2 shape); the last one in the older shape too."""
    rows: list[dict[str, Any]] = []
    for number, name in enumerate(USER_NAMES, start=1):
        rows.append({
            "id": number, "email": f"{name.lower()}@example.com", "username": name.lower(),
            "first_name": name, "last_name": None, "mobile_number": None,
            "owner": 1 if number == 1 else 0, "status": True,
            "created_at": _iso(number, 8), "updated_at": _iso(number, 9),
        })  # fmt: skip
    rows[-1].update(pin="0000", hide=0, can_receive_tips=True, login_at="2025-07-30 18:00:00")
    return rows


def sale_type_rows() -> list[dict[str, Any]]:
    """The receipts' sale types with venue maps (API §10.12); off at venue 3."""
    return [
        {
            "id": number, "name": name, "system_type": system, "channel": _CHANNELS[system],
            "status": {"1": 1, "2": 1, "3": 0},
            "service_charge_rate": 10 if system == "IN" else None,
            "position": number, "media": [],
            "created_at": _iso(number, 10), "updated_at": _iso(number, 11),
        }
        for number, name, system in RECEIPT_SALE_TYPES
    ]  # fmt: skip


def payment_method_rows() -> list[dict[str, Any]]:
    """The receipts' payment methods and one more (API §10.13); Bonus needs a customer."""
    rows = []
    for position, (number, name) in enumerate((*RECEIPT_METHODS, *_EXTRA_METHODS), start=1):
        bonus = name == "Bonus"
        rows.append({
            "id": number, "name": name, "status": {"1": 0 if number == 4 else 1, "2": 1},
            "split": 1, "position": position, "customer_required": int(bonus),
            "is_system": int(number <= 2),
            "balance": {"id": 1, "system_type": "BONUS", "name": "Bonus", "type": "bonus"}
            if bonus else None,
            "service": None,
            "created_at": _iso(position, 12), "updated_at": _iso(position, 13),
        })  # fmt: skip
    return rows


def basic_collections() -> dict[str, Collection]:
    """The four catalogues by the resource name tests pass to ``SandboxServer.rows``."""
    return {
        "venues": Collection(VENUES, None, venue_rows(), noun="Venue"),
        "users": Collection(USERS, USER, user_rows(), noun="User"),
        "sale_types": Collection(SALE_TYPES, None, sale_type_rows(), noun="Sale type"),
        "payment_methods": Collection(
            PAYMENT_METHODS, None, payment_method_rows(), noun="Payment method"
        ),
    }

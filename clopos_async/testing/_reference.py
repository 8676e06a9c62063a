"""The fixed reference data the sandbox's receipts point at, and their wire number forms.

One job: the payment methods, sale types, users, units, stations, products and
modifiers that generated receipts refer to (the catalogue routes serve the same ids),
and how a cent amount and a moment are written on the wire (API §11).
"""

from __future__ import annotations

from datetime import datetime

import attrs

#: (id, name) of the payment methods receipts are paid with (API §10.3, §9.10).
PAYMENT_METHODS: tuple[tuple[int, str], ...] = ((1, "Cash"), (2, "Card"), (3, "Bonus"))
#: (id, name, system_type) of the sale types (API §10.12).
SALE_TYPES: tuple[tuple[int, str, str], ...] = (
    (1, "In", "IN"),
    (2, "Delivery", "DELIVERY"),
    (3, "Takeaway", "TAKEAWAY"),
)
USERS: tuple[str, ...] = ("Aysel", "Rashad", "Leyla", "Murad", "Nigar")
#: unit id -> name, for ``with[]=receipt_products.product.unit``.
UNITS: dict[int, str] = {1: "pcs", 2: "kg", 3: "portion"}
#: station id -> (name, type, printable), for ``with[]=receipt_products.product.station``.
STATIONS: dict[int, tuple[str, int, int]] = {1: ("Kitchen", 1, 1), 2: ("Bar", 0, 1)}


@attrs.frozen(kw_only=True, slots=True)
class CatalogProduct:
    """One sellable product; ``price`` in cents."""

    id: int
    name: str
    type: str
    price: int
    barcode: str | None
    unit_id: int
    station_id: int


CATALOG: tuple[CatalogProduct, ...] = tuple(
    CatalogProduct(id=i, name=n, type=t, price=p, barcode=b, unit_id=u, station_id=s)
    for i, (n, t, p, b, u, s) in enumerate(
        (
            ("Plov", "DISH", 1250, None, 3, 1),
            ("Dolma", "DISH", 814, None, 3, 1),
            ("Lula kebab", "DISH", 1490, None, 3, 1),
            ("Qutab", "DISH", 350, None, 1, 1),
            ("Shah pilaf", "DISH", 3000, None, 3, 1),
            ("Black tea", "GOODS", 200, "4760001000011", 1, 2),
            ("Ayran", "GOODS", 180, "4760001000028", 1, 2),
            ("Mineral water", "GOODS", 150, "4760001000035", 1, 2),
            ("Pakhlava", "GOODS", 95, None, 2, 2),
            ("Lemonade", "PREPARATION", 425, None, 1, 2),
            ("Billiards hour", "TIMER", 1000, None, 1, 2),
        ),
        start=1,
    )
)
#: (id, name, price in cents) of the modifiers a DISH line may carry.
MODIFICATORS: tuple[tuple[int, str, int], ...] = (
    (1, "Extra sauce", 50),
    (2, "No onion", 0),
    (3, "Double meat", 400),
    (4, "Bread basket", 120),
)
MODIFIER_IDS = tuple(mod_id for mod_id, _, _ in MODIFICATORS)
MODIFIER_NAMES = {mod_id: name for mod_id, name, _ in MODIFICATORS}
MODIFIER_PRICES = {mod_id: price for mod_id, _, price in MODIFICATORS}
OPEN_ORDER_STATUSES = ("NEW", "SCHEDULED", "IN_PROGRESS", "READY")  # API §11
CLOSED_ORDER_STATUSES = ("COMPLETED", "COMPLETED", "COMPLETED", "PICKED_UP", "CANCELLED")
METHOD_NAMES: dict[int, str] = dict(PAYMENT_METHODS)


def money(cents: int) -> int | float:
    """The wire number for ``cents``: an int when whole (``12``), else a float (``8.14``).

    ``cents / 100`` is the double nearest the exact decimal (IEEE division is
    correctly rounded), so it always prints with at most two decimals.
    """
    units, rest = divmod(cents, 100)
    return units if rest == 0 else cents / 100


def wire_datetime(moment: datetime) -> str:
    """``YYYY-MM-DD HH:mm:ss`` (API §11); isoformat is several times faster than strftime."""
    return moment.isoformat(" ") if not moment.microsecond else moment.isoformat(" ", "seconds")

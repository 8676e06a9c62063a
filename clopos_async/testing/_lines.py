"""A generated receipt's line items (API §10.2), built on demand from a compact recipe.

One job: the ``LinePlan`` a receipt keeps and ``build_lines``, which turns it into the
full line dicts (product, modifiers, the receipt discount shared over the lines),
identical every time.
"""

from __future__ import annotations

import random
from typing import Any

import attrs

from clopos_async.testing._reference import (
    CATALOG,
    MODIFIER_NAMES,
    MODIFIER_PRICES,
    STATIONS,
    UNITS,
    CatalogProduct,
    money,
)


@attrs.frozen(kw_only=True, slots=True)
class LinePlan:
    """The compact recipe of a receipt's line items (API §10.2).

    Line dicts are big and only requests with ``with[]=receipt_products`` need
    them, so a receipt keeps this recipe and :func:`build_lines` makes the dicts
    on demand, identical every time.
    """

    receipt_id: int
    stamp: str
    discount: int  # the receipt-level discount, in cents, shared over the lines
    items: tuple[tuple[int, int, tuple[int, ...]], ...]  # (product id, count, modifier ids)
    cid_seed: int


def build_lines(plan: LinePlan) -> list[dict[str, Any]]:
    """The full line dicts of a receipt (every optional part included), from its recipe."""
    rng = random.Random(plan.cid_seed)
    lines = [_line(plan, index, item, rng) for index, item in enumerate(plan.items, start=1)]
    _share_receipt_discount(lines, [item_cents(item) for item in plan.items], plan)
    return lines


def _line(
    plan: LinePlan, index: int, item: tuple[int, int, tuple[int, ...]], rng: random.Random
) -> dict[str, Any]:
    product_id, count, modifier_ids = item
    product = CATALOG[product_id - 1]
    subtotal = item_cents(item)
    meta_product, relation = _PRODUCT_PARTS[product_id]
    return {
        "id": plan.receipt_id * 10 + index,
        "cid": seeded_uuid(rng),
        "receipt_id": plan.receipt_id,
        "product_id": product_id,
        "count": count,
        "portion_size": 1,
        "total": money(subtotal),
        "price": money(product.price),
        "subtotal": money(subtotal),
        "is_gift": False,
        "discount_type": 0,
        "discount_value": 0,
        "discount_rate": 0,
        "total_discount": money(0),
        "receipt_discount": money(0),
        "loyalty_type": None,
        "loyalty_value": None,
        "cost": money(subtotal * 35 // 100),
        "meta": {"product": meta_product},
        "modificators": [_modificator(m, plan.receipt_id) for m in modifier_ids],
        "product": relation,
        "created_at": plan.stamp,
        "updated_at": plan.stamp,
        "deleted_at": None,
    }


def item_cents(item: tuple[int, int, tuple[int, ...]]) -> int:
    product_id, count, modifier_ids = item
    unit = CATALOG[product_id - 1].price + sum(MODIFIER_PRICES[m] for m in modifier_ids)
    return unit * count


def seeded_uuid(rng: random.Random) -> str:
    """A random (version 4) UUID string from a seeded stream."""
    digits = f"{rng.getrandbits(128):032x}"
    return f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-a{digits[17:20]}-{digits[20:]}"


def _catalog_parts(product: CatalogProduct) -> tuple[dict[str, Any], ...]:
    """``meta.product`` and the ``product`` relation (with ``unit`` and ``station``)."""
    price = money(product.price)
    station_name, station_type, printable = STATIONS[product.station_id]
    meta = {"name": product.name, "type": product.type, "price": price, "barcode": product.barcode}
    relation = {
        "id": product.id,
        "name": product.name,
        "type": product.type,
        "price": price,
        "unit_id": product.unit_id,
        "station_id": product.station_id,
        "unit": {"id": product.unit_id, "name": UNITS[product.unit_id]},
        "station": {
            "id": product.station_id,
            "name": station_name,
            "status": 1,
            "type": station_type,
            "printable": printable,
        },
    }
    return meta, relation


_PRODUCT_PARTS = {product.id: _catalog_parts(product) for product in CATALOG}


def _modificator(mod_id: int, receipt_id: int) -> dict[str, Any]:
    name, price = MODIFIER_NAMES[mod_id], MODIFIER_PRICES[mod_id]
    return {
        "id": receipt_id * 100 + mod_id,
        "modificator_id": mod_id,
        "name": name,
        "count": 1,
        "price": money(price),
    }


def _share_receipt_discount(
    lines: list[dict[str, Any]], line_cents: list[int], plan: LinePlan
) -> None:
    """Spread the receipt discount over the lines; the last line takes the rounding rest."""
    discount = plan.discount
    if not discount:
        return
    subtotal = sum(line_cents)
    left = discount
    for position, (line, cents) in enumerate(zip(lines, line_cents, strict=True)):
        share = left if position == len(lines) - 1 else discount * cents // subtotal
        left -= share
        line["receipt_discount"] = money(share)
        line["total"] = money(cents - share)

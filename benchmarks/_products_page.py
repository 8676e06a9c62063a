"""The products page of the decode benchmark: 100 products as ``GET /products`` serves them
with ``with[]=category,station,modifications,modificator_groups,taxes`` (API §9.8, §10.11).

Half are GOODS with two or three variants (``modifications``, full products of type
MODIFICATION), half DISHes with two modificator groups of three or four modifiers; prices
at both money scales of API §11, naive ``YYYY-MM-DD HH:mm:ss`` timestamps, ISO ``…Z`` ones
on the included category and station.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import orjson

PRODUCTS_PAGE_SIZE = 100

_PRICES = (2.5, 3.35, 4.0, 7.2, 8.14, 9.9, 12.0, 18.6, 1800, 8140, 24500)
_SIZES = ("Small", "Medium", "Large")
_MODIFIERS = ("Garlic", "Sumac", "Pomegranate", "Cheese", "Rice", "Fries", "Salad")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _base(rng: random.Random, number: int, kind: str, moment: datetime) -> dict[str, Any]:
    price = rng.choice(_PRICES)
    return {
        "id": number, "cid": f"prod-{number:05d}", "parent_id": None,
        "station_id": rng.randint(1, 7), "category_id": rng.randint(1, 13), "unit_id": 1,
        "net_output": 1, "type": kind, "name": f"Product {number}", "parent_name": "",
        "full_name": f"Product {number}", "position": number, "barcode": None,
        "gov_code": f"GOV{number:05d}", "status": 1, "hidden": 0, "sold_by_weight": False,
        "max_age": None, "discountable": True, "giftable": number % 2 == 0,
        "has_modifications": kind == "GOODS", "meta": None, "description": None,
        "price": price, "cost_price": round(price * 0.35, 2), "markup_rate": 185.71,
        "cooking_time": 12 if kind == "DISH" else None, "ignore_service_charge": False,
        "inventory_behavior": 0 if kind == "DISH" else 1, "low_stock": 5,
        "unit_weight": 0.25, "taxes": [{"id": 1, "name": "VAT", "rate": 18}],
        "created_at": _stamp(moment), "updated_at": _stamp(moment + timedelta(minutes=30)),
    }  # fmt: skip


def _variant(parent: dict[str, Any], index: int) -> dict[str, Any]:
    size = _SIZES[index]
    return {
        "id": parent["id"] * 10 + index, "cid": f"{parent['cid']}-{index}",
        "parent_id": parent["id"], "station_id": parent["station_id"],
        "category_id": parent["category_id"], "type": "MODIFICATION", "name": size,
        "parent_name": parent["name"], "full_name": f"{parent['name']} {size}", "status": 1,
        "price": parent["price"], "cost_price": parent["cost_price"],
        "created_at": parent["created_at"], "updated_at": parent["updated_at"],
    }  # fmt: skip


def _group(rng: random.Random, number: int, single: bool) -> dict[str, Any]:
    count = rng.randint(3, 4)
    return {
        "id": number, "name": "Side" if single else "Sauce", "type": 1 if single else 0,
        "min_select": 1 if single else 0, "max_select": 1 if single else count,
        "modificators": [
            {"id": number * 10 + n, "name": rng.choice(_MODIFIERS),
             "price": rng.choice((0, 0.5, 1)), "cost_price": 0.1, "max_count": 2, "status": 1,
             "ingredient": None}
            for n in range(count)
        ],
    }  # fmt: skip


def _relations(rng: random.Random, row: dict[str, Any]) -> dict[str, Any]:
    category, station = row["category_id"], row["station_id"]
    return {
        "category": {
            "id": category, "name": f"Category {category}", "status": 1, "type": "PRODUCT",
            "position": category, "parent_id": None, "_lft": 1, "_rgt": 2, "depth": 0,
            "color": "1F2E3D", "hidden": False, "children": [],
            "created_at": "2025-05-01T08:00:00.000000Z",
            "updated_at": "2025-05-01T08:15:00.000000Z",
        },
        "station": {
            "id": station, "name": f"Station {station}", "status": 1, "type": 1, "printable": 1,
            "created_at": "2025-07-01T09:00:00.000000Z",
            "updated_at": "2025-07-01T09:30:00.000000Z",
        },
    }  # fmt: skip


def build_products_page(size: int = PRODUCTS_PAGE_SIZE, seed: int = 11) -> bytes:
    """The ``data`` array of one products page, as JSON bytes."""
    rng = random.Random(seed)
    start = datetime(2025, 6, 1, 10, 0, 0)
    rows = []
    for index in range(size):
        kind = "GOODS" if index % 2 == 0 else "DISH"
        row = _base(rng, 1000 + index, kind, start + timedelta(minutes=index))
        row["modifications"] = (
            [_variant(row, i) for i in range(rng.randint(2, 3))] if kind == "GOODS" else []
        )
        row["modificator_groups"] = (
            [_group(rng, row["id"] * 10 + 1, False), _group(rng, row["id"] * 10 + 2, True)]
            if kind == "DISH" else []
        )  # fmt: skip
        rows.append({**row, **_relations(rng, row)})
    return orjson.dumps(rows)

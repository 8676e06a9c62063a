"""The sandbox's seeded menu catalogue: linked categories, products, stop list, price lists.

One job: build the rows (wire dicts, API §10.9, §10.11, §10.15, §10.17). Products
belong to categories and stations that exist (``_catalog.station_rows``); GOODS carry
variants (``modifications``), DISHes modificator groups; stop-list entries and prices
point at existing products. Products use ``YYYY-MM-DD HH:mm:ss`` timestamps, categories
ISO 8601 ``…Z``, the stop list epoch milliseconds (API §11).
"""

from __future__ import annotations

from typing import Any

#: id, parent id, name, type, status: a tree of each documented type; one inactive branch.
_CATEGORIES = (
    (1, None, "Food", "PRODUCT", 1), (2, 1, "Hot dishes", "PRODUCT", 1),
    (3, 2, "Soups", "PRODUCT", 1), (4, 2, "Kebabs", "PRODUCT", 1),
    (5, 1, "Desserts", "PRODUCT", 1), (6, None, "Drinks", "PRODUCT", 1),
    (7, 6, "Hot drinks", "PRODUCT", 1), (8, 6, "Cold drinks", "PRODUCT", 1),
    (9, 6, "Seasonal", "PRODUCT", 0), (10, None, "Raw materials", "INGREDIENT", 1),
    (11, 10, "Meat", "INGREDIENT", 1), (12, 10, "Vegetables", "INGREDIENT", 1),
    (13, None, "Expenses", "ACCOUNTING", 1),
)  # fmt: skip

#: id, name, type, category id, station id, price (both money scales of API §11).
_PRODUCTS = (
    (1, "Lentil soup", "DISH", 3, 1, 4.5), (2, "Piti", "DISH", 3, 1, 8.14),
    (3, "Lula kebab", "DISH", 4, 2, 9.9), (4, "Tika kebab", "DISH", 4, 2, 11),
    (5, "Baklava", "GOODS", 5, 4, 3.35), (6, "Shekerbura", "GOODS", 5, 4, 2.5),
    (7, "Tea", "GOODS", 7, 3, 2), (8, "Coffee", "GOODS", 7, 3, 3.6),
    (9, "Ayran", "GOODS", 8, 3, 1.8), (10, "Lemonade", "GOODS", 8, 3, 4),
    (11, "Pumpkin latte", "GOODS", 9, 3, 5.2), (12, "Billiards hour", "TIMER", 1, 3, 12),
    (13, "Kebab mince", "PREPARATION", 4, 2, 0), (14, "Lamb", "INGREDIENT", 11, None, 0),
    (15, "Onion", "INGREDIENT", 12, None, 0), (16, "Dolma", "DISH", 2, 7, 7.2),
)  # fmt: skip

#: product id -> stock limit: 0 is sold out (API §9.8). 501 is a variant of product 5.
_STOP = {3: 0, 5: 4, 8: 0, 501: 2, 16: 1}
_STOP_AT = 1_767_225_600_000  # 2026-01-01T00:00:00Z in Unix milliseconds

#: id, name, description, status (a bool, API §10.17).
_PRICE_LISTS = (
    (1, "Happy hour", "Weekdays 16:00-18:00", True), (2, "Delivery", None, True),
    (3, "Staff", "Staff meals", False), (4, "Terrace", None, True),
)  # fmt: skip


def category_rows() -> list[dict[str, Any]]:
    """Every category, flat (no ``children``), with nested-set bounds and depths."""
    rows: dict[int, dict[str, Any]] = {
        number: {
            "id": number, "name": name, "status": status, "type": kind,
            "position": number, "parent_id": parent, "_lft": 0, "_rgt": 0, "depth": 0,
            "color": f"{(number * 0x1F2E3D) % 0xFFFFFF:06X}", "hidden": False, "media": [],
            "created_at": f"2025-05-{number:02d}T08:00:00.000000Z",
            "updated_at": f"2025-05-{number:02d}T08:15:00.000000Z",
        }
        for number, parent, name, kind, status in _CATEGORIES
    }  # fmt: skip
    counter = 0

    def number_subtree(number: int, depth: int) -> None:
        nonlocal counter
        counter += 1
        rows[number].update(_lft=counter, depth=depth)
        for child in (n for n, p, *_ in _CATEGORIES if p == number):
            number_subtree(child, depth + 1)
        counter += 1
        rows[number]["_rgt"] = counter

    for root in (n for n, p, *_ in _CATEGORIES if p is None):
        number_subtree(root, 0)
    return list(rows.values())


def product_rows() -> list[dict[str, Any]]:
    """Every product with all its relations; the collection strips those not included."""
    return [_product(*fields) for fields in _PRODUCTS]


def _product(
    number: int, name: str, kind: str, category: int, station: int | None, price: float
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": number, "cid": f"prod-{number:04d}", "parent_id": None,
        "station_id": station, "category_id": category, "unit_id": 1, "net_output": 1,
        "type": kind, "name": name, "parent_name": "", "full_name": name,
        "position": number, "barcode": None, "gov_code": f"GOV{number:05d}",
        "status": 0 if number == 11 else 1, "hidden": 0, "sold_by_weight": False,
        "max_age": 18 if number == 12 else None, "discountable": number % 3 != 0,
        "giftable": number % 2 == 0, "has_modifications": kind == "GOODS" and number % 2 == 1,
        "meta": None, "description": f"{name} of the house", "price": price,
        "cost_price": round(price * 0.35, 2), "markup_rate": 185.71,
        "cooking_time": 12 if kind == "DISH" else None, "ignore_service_charge": False,
        "inventory_behavior": 0 if kind in ("DISH", "PREPARATION") else 1,
        "low_stock": 5, "unit_weight": 0.25, "venues": [{"id": 1, "status": 1}],
        "taxes": [{"id": 1, "name": "VAT", "rate": 18}], "tags": _tags(number),
        "codes": [{"id": number, "code": f"470{number:010d}"}],
        "packages": [{"id": 1, "name": "Box", "equal": 6}] if kind == "GOODS" else [],
        "recipe": _recipe(kind), "unit": {"id": 1, "name": "pcs"},
        "media": [_media(number)], "modifications": [], "modificator_groups": [],
        "created_at": f"2025-06-{number:02d} 10:00:00",
        "updated_at": f"2025-06-{number:02d} 10:30:00",
    }  # fmt: skip
    if row["has_modifications"]:
        row["modifications"] = [_variant(row, 1, "Small", 0.8), _variant(row, 2, "Large", 1.5)]
    if kind == "DISH":
        row["modificator_groups"] = _groups(number)
    if kind == "TIMER":
        row["setting"] = {"interval": 60, "prices": [{"price": 12, "from": 0}]}
    return row


def _tags(number: int) -> list[str]:
    return ["hit"] if number % 4 == 1 else (["vegan", "new"] if number % 4 == 2 else [])


def _recipe(kind: str) -> list[dict[str, Any]]:
    if kind not in ("DISH", "PREPARATION"):
        return []
    return [
        {"id": 14, "type": "INGREDIENT", "name": "Lamb", "cost_price": 1.2,
         "pivot": {"gross": 0.2}},
        {"id": 15, "type": "INGREDIENT", "name": "Onion", "cost_price": 0.1,
         "pivot": {"gross": 0.05}},
    ]  # fmt: skip


def _media(number: int) -> dict[str, Any]:
    return {
        "uuid": f"00000000-0000-4000-8000-{number:012d}", "mime_type": "image/jpeg",
        "size": 20480 + number,
        "urls": {"original": f"https://cdn.example/p/{number}.jpg",
                 "thumb": f"https://cdn.example/p/{number}-t.jpg"},
        "blur_hash": "LEHV6nWB2yk8", "dimensions": {"width": 800, "height": 600},
    }  # fmt: skip


def _variant(parent: dict[str, Any], index: int, size: str, factor: float) -> dict[str, Any]:
    number = parent["id"] * 100 + index
    return {
        "id": number, "cid": f"prod-{number:04d}", "parent_id": parent["id"],
        "station_id": parent["station_id"], "category_id": parent["category_id"],
        "type": "MODIFICATION", "name": size, "parent_name": parent["name"],
        "full_name": f"{parent['name']} {size}", "status": 1,
        "price": round(parent["price"] * factor, 2), "cost_price": None,
        "codes": [{"id": number, "code": f"471{number:010d}"}],
        "created_at": parent["created_at"], "updated_at": parent["updated_at"],
    }  # fmt: skip


def _groups(number: int) -> list[dict[str, Any]]:
    sauces = [
        {"id": 900 + n, "name": name, "price": price, "cost_price": 0.1, "max_count": 2,
         "status": 1, "ingredient": None}
        for n, (name, price) in enumerate((("Garlic", 0.5), ("Sumac", 0), ("Pomegranate", 1)))
    ]  # fmt: skip
    sides = [{"id": 950, "name": "Rice", "price": 2, "cost_price": 0.4, "max_count": 1,
              "status": 1, "ingredient": {"id": 15, "name": "Onion"}}]  # fmt: skip
    return [
        {"id": number * 10 + 1, "name": "Sauce", "type": 0, "min_select": 0, "max_select": 3,
         "modificators": sauces},
        {"id": number * 10 + 2, "name": "Side", "type": 1, "min_select": 1, "max_select": 1,
         "modificators": sides},
    ]  # fmt: skip


def stop_list_rows() -> list[dict[str, Any]]:
    """Stock limits of some products and one variant (``limit`` 0 = sold out)."""
    return [
        {"id": number, "limit": limit, "timestamp": _STOP_AT + index * 60_000}
        for index, (number, limit) in enumerate(sorted(_STOP.items()))
    ]


def price_list_rows() -> list[dict[str, Any]]:
    """The price lists, without their ``prices`` (embedded on ``with[]=prices``)."""
    return [
        {
            "id": number, "name": name, "description": description, "status": status,
            "created_at": f"2025-04-{number:02d}T12:00:00.000000Z",
            "updated_at": f"2025-04-{number:02d}T12:00:00.000000Z",
        }
        for number, name, description, status in _PRICE_LISTS
    ]  # fmt: skip


def price_rows() -> list[dict[str, Any]]:
    """Prices of existing products in existing lists: a discount per list."""
    prices: list[dict[str, Any]] = []
    for list_id, _name, _text, _status in _PRICE_LISTS:
        for number, _p, _kind, _c, _s, price in _PRODUCTS:
            if price and (number + list_id) % 3 != 0:
                value = round(price * (1 - 0.05 * list_id), 2)
                prices.append({"id": len(prices) + 1, "list_id": list_id,
                               "product_id": number, "price": value})  # fmt: skip
    return prices

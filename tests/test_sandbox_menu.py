"""The sandbox's menu catalogue is linked: every id a product, price or stop-list entry
references exists, and the category tree is consistent (DESIGN §4)."""

from __future__ import annotations

from clopos_async._api._endpoints import CATEGORY_TYPES, PRODUCT_TYPES
from clopos_async.testing import SandboxServer


async def test_every_id_the_catalogue_references_exists(sandbox: SandboxServer) -> None:
    categories = {row["id"]: row for row in sandbox.rows("categories")}
    stations = {row["id"] for row in sandbox.rows("stations")}
    products = sandbox.rows("products")
    product_ids = {row["id"] for row in products}
    variant_ids = {v["id"] for row in products for v in row["modifications"]}
    for row in products:
        assert row["category_id"] in categories, row["id"]
        assert row["station_id"] is None or row["station_id"] in stations, row["id"]
        for variant in row["modifications"]:
            assert variant["parent_id"] == row["id"]
            assert variant["category_id"] in categories
            assert variant["station_id"] in stations
    for entry in sandbox.rows("stop_list"):
        assert entry["id"] in product_ids | variant_ids
    list_ids = {row["id"] for row in sandbox.rows("price_lists")}
    for price in sandbox.rows("prices"):
        assert price["product_id"] in product_ids
        assert price["list_id"] in list_ids


async def test_the_seed_covers_every_type_and_shape(sandbox: SandboxServer) -> None:
    products = sandbox.rows("products")
    assert {row["type"] for row in products} == set(PRODUCT_TYPES) - {"MODIFICATION"}
    assert any(row["modifications"] for row in products if row["type"] == "GOODS")
    assert all(row["modificator_groups"] for row in products if row["type"] == "DISH")
    assert not any(row["modificator_groups"] for row in products if row["type"] != "DISH")
    categories = sandbox.rows("categories")
    assert {row["type"] for row in categories} == set(CATEGORY_TYPES)
    assert any(row["status"] == 0 for row in categories)
    assert {entry["limit"] == 0 for entry in sandbox.rows("stop_list")} == {True, False}


async def test_the_category_tree_is_a_consistent_nested_set(sandbox: SandboxServer) -> None:
    rows = {row["id"]: row for row in sandbox.rows("categories")}
    for row in rows.values():
        parent = rows.get(row["parent_id"]) if row["parent_id"] is not None else None
        if parent is None:
            assert row["parent_id"] is None
            assert row["depth"] == 0
            continue
        assert parent["type"] == row["type"]
        assert row["depth"] == parent["depth"] + 1
        assert parent["_lft"] < row["_lft"] < row["_rgt"] < parent["_rgt"]

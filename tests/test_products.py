"""``client.products`` against the sandbox: list, get and the stop list (API §9.8)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from clopos_async import (
    Category,
    ClientValueError,
    NotFoundError,
    Product,
    ProductType,
    Station,
    StopListEntry,
    converter,
)
from clopos_async.testing import SandboxServer

RELATIONS = ["category", "station", "modifications", "modificator_groups", "taxes", "recipe"]


async def test_iterating_returns_every_product_once_and_round_trips(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    async with sandbox.client() as client:
        swept = [p async for p in client.products.list(limit=5, include=RELATIONS)]
        page = await client.products.list()
    wire = sandbox.rows("products")
    assert [p.id for p in swept] == [row["id"] for row in wire]
    assert page.total == len(wire) == 16
    assert [entry.query[:2] for entry in sandbox.requests("GET", "/products")[:4]] == [
        [("page", str(n)), ("limit", "5")] for n in (1, 2, 3, 4)
    ]
    # What was served (relations included) comes back key for key.
    params = [("limit", "100"), *((f"with[{i}]", r) for i, r in enumerate(RELATIONS))]
    async with http.get(f"{sandbox.base_url}/products", params=params, headers=headers) as r:
        served = (await r.json())["data"]
    assert [converter.unstructure(p) for p in swept] == served


async def test_included_relations_decode_to_their_models(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        products = [p async for p in client.products.list(include=RELATIONS)]
    by_id = {p.id: p for p in products}
    goods = by_id[5]
    assert goods.type is ProductType.GOODS
    assert [v.id for v in goods.modifications or ()] == [501, 502]
    assert all(v.type is ProductType.MODIFICATION for v in goods.modifications or ())
    dish = by_id[3]
    assert isinstance(dish.category, Category)
    assert dish.category.id == dish.category_id == 4
    assert isinstance(dish.station, Station)
    assert dish.station.id == dish.station_id == 2
    (sauce, side) = dish.modificator_groups or ()
    assert (sauce.type, side.type, side.min_select) == (0, 1, 1)
    assert [m.price for m in sauce.modificators or ()] == [Decimal("0.5"), 0, 1]
    assert dish.price == Decimal("9.9")
    assert isinstance(dish.price, Decimal)
    assert dish.created_at == datetime(2025, 6, 3, 10, 0)  # naive YYYY-MM-DD HH:mm:ss
    assert dish.created_at.tzinfo is None


async def test_relations_are_absent_unless_included(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        plain = await client.products.get(5)
        full = await client.products.get(5, include=["modifications", "media", "unit"])
    assert plain.modifications is None
    assert plain.category is None
    assert plain.media is None
    assert [v.name for v in full.modifications or ()] == ["Small", "Large"]
    assert full.media is not None
    assert full.media[0].dimensions == {"width": 800, "height": 600}
    assert converter.structure(converter.unstructure(full), Product) == full
    (_, sent) = sandbox.requests("GET", "/products/5")
    assert sent.query == [("with[0]", "modifications"), ("with[1]", "media"), ("with[2]", "unit")]


@pytest.mark.parametrize(
    ("arguments", "query", "ids"),
    [
        ({"type": "DISH"}, [("filters[0][0]", "type"), ("filters[0][1][0]", "DISH")],
         [1, 2, 3, 4, 16]),
        ({"type": [ProductType.TIMER, "PREPARATION"]},
         [("filters[0][0]", "type"), ("filters[0][1][0]", "TIMER"),
          ("filters[0][1][1]", "PREPARATION")], [12, 13]),
        ({"category_id": [3, 5], "station_id": 1},
         [("filters[0][0]", "category_id"), ("filters[0][1][0]", "3"), ("filters[0][1][1]", "5"),
          ("filters[1][0]", "station_id"), ("filters[1][1][0]", "1")], [1, 2]),
        ({"tags": "vegan", "filters": {"giftable": True}},
         [("filters[0][0]", "giftable"), ("filters[0][1]", "true"), ("filters[1][0]", "tags"),
          ("filters[1][1][0]", "vegan")], [2, 6, 10, 14]),
        ({"filters": [("inventory_behavior", 0)], "selects": ["name", "price"]},
         [("filters[0][0]", "inventory_behavior"), ("filters[0][1]", "0"),
          ("selects", "name,price")], [1, 2, 3, 4, 13, 16]),
    ],
)  # fmt: skip
async def test_filters_travel_in_bracket_notation(
    sandbox: SandboxServer, arguments: dict[str, Any], query: list[tuple[str, str]], ids: list[int]
) -> None:
    async with sandbox.client() as client:
        page = await client.products.list(**arguments)
    assert [p.id for p in page.items] == ids
    (sent,) = sandbox.requests("GET", "/products")
    assert sent.query == [("page", "1"), ("limit", "50"), *query]


async def test_selects_returns_only_those_fields_and_the_fixed_three(
    sandbox: SandboxServer,
) -> None:
    async with sandbox.client() as client:
        page = await client.products.list(selects="price", max_items=1)
    first = converter.unstructure(page.items[0])
    assert first == {"id": 1, "name": "Lentil soup", "type": "DISH", "price": 4.5}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ({"limit": 101}, "limit=101 is not allowed: an integer from 1 to 100 is required"),
        ({"type": "MODIFIER"}, "type='MODIFIER' is not allowed: one of 'GOODS'"),
        ({"type": ["DISH", "SOUP"]}, r"type\[1\]='SOUP' is not allowed"),
        ({"type": []}, "type=\\[\\] is not allowed"),
        ({"category_id": "3"}, "category_id='3' is not allowed: an integer >= 0"),
        ({"station_id": [1, True]}, r"station_id\[1\]=True is not allowed"),
        ({"tags": [""]}, r"tags\[0\]='' is not allowed: a non-empty string"),
        ({"filters": {"colour": "red"}}, r"filters\[0\]\[0\]='colour' is not allowed"),
        ({"filters": {"giftable": 1}}, r"filters\[0\]\[1\]=1 is not allowed: True or False"),
        ({"include": "prices"}, "include='prices' is not allowed: one of 'category'"),
        ({"include": ["category", "unit"]}, r"include\[1\]='unit' is not allowed"),
        ({"selects": "name, price;drop"}, "selects='name, price;drop' is not allowed"),
        ({"selects": []}, r"selects=\[\] is not allowed"),
        ({"page": 0}, "page=0 is not allowed"),
    ],
)
async def test_bad_list_arguments_send_nothing(
    sandbox: SandboxServer, call: dict[str, Any], message: str
) -> None:
    async with sandbox.client() as client:
        with pytest.raises(ClientValueError, match=message):
            client.products.list(**call)
    assert sandbox.log == []


async def test_bad_get_and_stop_list_arguments_send_nothing(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        for bad in (0, -1, True, "", None, 2**63):
            with pytest.raises(ClientValueError, match="id="):
                await client.products.get(bad)  # type: ignore[arg-type]
        with pytest.raises(ClientValueError, match=r"include\[0\]='station' is not allowed"):
            await client.products.get(1, include=["station"])  # a list relation, not a get one
        for ids, message in [([], r"ids=\[\]"), ([1, 0], r"ids\[1\]=0"), ("12", "ids='12'")]:
            with pytest.raises(ClientValueError, match=message):
                await client.products.stop_list(ids)  # type: ignore[arg-type]
    assert sandbox.log == []


async def test_get_one_and_a_missing_one(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        tea = await client.products.get(7)
        with pytest.raises(NotFoundError) as missing:
            await client.products.get(999)
        with pytest.raises(NotFoundError):
            await client.products.get("00000000-0000-4000-8000-000000000007")
    assert tea.name == "Tea"
    assert tea.taxes is None
    assert missing.value.code == "resource_not_found"  # API §15 item 7


async def test_stop_list_entries_and_availability(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        entries = await client.products.stop_list()
        some = await client.products.stop_list([3, 4, 501])
    assert converter.unstructure(entries) == sandbox.rows("stop_list")
    assert all(isinstance(e.timestamp, int) for e in entries)  # epoch milliseconds, kept
    assert entries[0].timestamp == 1_767_225_600_000
    assert [(e.id, e.limit, e.available) for e in some] == [(3, 0, False), (501, 2, True)]
    assert not StopListEntry.is_available(entries, 3)  # limit 0: sold out
    assert StopListEntry.is_available(entries, 5)  # limited to 4, still on sale
    assert StopListEntry.is_available(entries, 4)  # absent: no limitation (API §9.8)
    (_, sent) = sandbox.requests("GET", "/products/stop-list")
    assert sent.query == [("filters[0][0]", "id"), ("filters[0][1][0]", "3"),
                          ("filters[0][1][1]", "4"), ("filters[0][1][2]", "501")]  # fmt: skip


async def test_sandbox_checks_the_product_query_from_the_facts(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    for query, fragment in [
        ({"limit": "101"}, "limit='101' is invalid: an integer from 1 to 100"),
        ({"with[0]": "prices"}, "with[0]='prices' is invalid"),
        ({"filters[0][0]": "type", "filters[0][1][0]": "SOUP"}, "'SOUP' is invalid"),
        ({"filters[0][0]": "colour", "filters[0][1]": "red"}, "filters[0][0]='colour'"),
        ({"sort[0]": "name"}, "sort[0]='name' is invalid"),
    ]:
        async with http.get(f"{sandbox.base_url}/products", params=query, headers=headers) as r:
            body = await r.json()
        assert r.status == 400, query
        assert body["error"] == "invalid_parameter"
        assert fragment in body["message"]

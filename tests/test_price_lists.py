"""``client.price_lists`` against the sandbox: the nested sort, embedded prices, the prices
pager, and the ``pagination`` envelope of both lists (API §9.9, §15 items 8 and 13)."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from clopos_async import ClientValueError, Price, PriceList, Product, converter
from clopos_async.testing import SandboxServer


async def test_list_sweeps_every_price_list_once_from_the_pagination_envelope(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    async with sandbox.client() as client:
        page = await client.price_lists.list(limit=3)
        swept = [p async for p in client.price_lists.list(limit=3)]
    async with http.get(f"{sandbox.base_url}/price-lists", params={"limit": "3"},
                        headers=headers) as r:  # fmt: skip
        body = await r.json()
    assert body["pagination"] == {"page": 1, "per_page": 3, "total": 4, "total_pages": 2}
    assert "total" not in body
    assert (page.total, page.page_count, page.has_next) == (4, 2, True)
    assert [p.id for p in swept] == [row["id"] for row in sandbox.rows("price_lists")]
    assert converter.unstructure(list(page.items)) == body["data"]  # lossless
    assert swept[0].created_at == datetime(2025, 4, 1, 12, 0, tzinfo=timezone.utc)
    assert swept[2].status is False


@pytest.mark.parametrize(
    ("arguments", "query", "names"),
    [
        ({"sort": "name"}, [("sort[0][0]", "name"), ("sort[0][1]", "asc")],
         ["Delivery", "Happy hour", "Staff", "Terrace"]),
        ({"sort": "created_at", "order": "desc"},
         [("sort[0][0]", "created_at"), ("sort[0][1]", "desc")],
         ["Terrace", "Staff", "Delivery", "Happy hour"]),
        ({"sort": "id", "order": -1, "selects": "name"},
         [("sort[0][0]", "id"), ("sort[0][1]", "desc"), ("selects", "name")],
         ["Terrace", "Staff", "Delivery", "Happy hour"]),
        ({}, [], ["Happy hour", "Delivery", "Staff", "Terrace"]),
    ],
)  # fmt: skip
async def test_the_nested_sort_syntax_reaches_the_server(
    sandbox: SandboxServer, arguments: dict[str, Any], query: list[tuple[str, str]],
    names: list[str],
) -> None:  # fmt: skip
    async with sandbox.client() as client:
        page = await client.price_lists.list(**arguments)
    assert [p.name for p in page.items] == names
    (sent,) = sandbox.requests("GET", "/price-lists")
    assert sent.query == [("page", "1"), ("limit", "50"), *query]
    assert not any(key in ("sort[0]", "sort[1]") for key, _ in sent.query)  # not the global one


async def test_include_prices_embeds_each_lists_prices(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        page = await client.price_lists.list(include="prices")
        bare = await client.price_lists.list()
    prices = sandbox.rows("prices")
    for price_list in page.items:
        assert [p.id for p in price_list.prices or ()] == [
            p["id"] for p in prices if p["list_id"] == price_list.id
        ]
    assert all(p.prices is None for p in bare.items)
    (sent, _) = sandbox.requests("GET", "/price-lists")
    assert ("with[0]", "prices") in sent.query


async def test_prices_pager_filters_and_includes(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    async with sandbox.client() as client:
        everything = [p async for p in client.price_lists.prices(limit=7)]
        lula = [
            p async for p in client.price_lists.prices(product_id=3, include=["product", "list"])
        ]
        listed = await client.price_lists.prices(list_id=2, product_id=2)
    wire = sandbox.rows("prices")
    assert [p.id for p in everything] == [row["id"] for row in wire]
    assert converter.unstructure(everything) == wire
    assert {p.product_id for p in lula} == {3}
    assert len(lula) == 3
    assert all(isinstance(p.product, Product) and p.product.id == 3 for p in lula)
    assert all(isinstance(p.list, PriceList) and p.list.id == p.list_id for p in lula)
    assert isinstance(lula[0].price, Decimal)
    assert [(p.list_id, p.product_id) for p in listed.items] == [(2, 2)]
    (*_, sent) = sandbox.requests("GET", "/price-lists/prices")
    assert sent.query == [("page", "1"), ("limit", "50"),
                          ("filters[0][0]", "product_id"), ("filters[0][1]", "2"),
                          ("filters[1][0]", "list_id"), ("filters[1][1]", "2")]  # fmt: skip
    async with http.get(f"{sandbox.base_url}/price-lists/prices", headers=headers) as r:
        body = await r.json()
    assert body["pagination"]["total"] == len(wire)
    assert converter.structure(body["data"][0], Price).price == Decimal(str(wire[0]["price"]))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ({"sort": "price"}, "sort='price' is not allowed: None or one of 'id', 'name'"),
        ({"sort": "name", "order": "up"}, "order='up' is not allowed"),
        ({"order": 0}, "order=0 is not allowed"),
        ({"include": "product"}, "include='product' is not allowed: one of 'prices'"),
        ({"limit": 1000}, "limit=1000 is not allowed: an integer from 1 to 999"),
        ({"selects": "a b"}, "selects='a b' is not allowed"),
    ],
)
async def test_bad_list_arguments_send_nothing(
    sandbox: SandboxServer, call: dict[str, Any], message: str
) -> None:
    async with sandbox.client() as client:
        with pytest.raises(ClientValueError, match=message):
            client.price_lists.list(**call)
        prices_calls: list[tuple[dict[str, Any], str]] = [
            ({"product_id": 0}, "product_id=0"),
            ({"list_id": True}, "list_id=True"),
            ({"include": ["list", "prices"]}, r"include\[1\]='prices'"),
            ({"limit": 0}, "limit=0"),
        ]
        for bad, fragment in prices_calls:
            with pytest.raises(ClientValueError, match=fragment):
                client.price_lists.prices(**bad)
    assert sandbox.log == []


async def test_sandbox_checks_the_nested_sort(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    for query, fragment in [
        ({"sort[0]": "name", "sort[1]": "1"}, "use sort[0][0]=field&sort[0][1]=asc|desc"),
        ({"sort[0][0]": "price"}, "sort[0][0]='price' is invalid"),
        ({"sort[0][0]": "name", "sort[0][1]": "-1"}, "sort[0][1]='-1' is invalid: asc or desc"),
        ({"with[0]": "product"}, "with[0]='product' is invalid"),
    ]:
        async with http.get(f"{sandbox.base_url}/price-lists", params=query, headers=headers) as r:
            body = await r.json()
        assert r.status == 400, query
        assert fragment in body["message"]

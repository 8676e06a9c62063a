"""``client.categories`` against the sandbox: trees, ``walk()``, parameters, 404 (API §9.6)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import aiohttp
import pytest

from clopos_async import Category, CategoryType, ClientValueError, NotFoundError, converter
from clopos_async.testing import SandboxServer


async def test_list_serves_trees_and_walk_yields_every_active_category_once(
    sandbox: SandboxServer,
) -> None:
    async with sandbox.client() as client:
        roots = [c async for c in client.categories.list(limit=1)]
    wire = sandbox.rows("categories")
    active = [row["id"] for row in wire if row["status"] == 1]
    walked = [c.id for root in roots for c in root.walk()]
    assert walked == active  # depth-first, in children order; id order is the seeded tree's
    assert [r.id for r in roots] == [row["id"] for row in wire if row["parent_id"] is None]
    assert [entry.query for entry in sandbox.requests("GET", "/categories")] == [
        [("page", str(n)), ("limit", "1"), ("include_children", "true"),
         ("include_inactive", "false")]
        for n in (1, 2, 3, 4)
    ]  # fmt: skip
    food = roots[0]
    assert food.created_at == datetime(2025, 5, 1, 8, 0, tzinfo=timezone.utc)  # ISO …Z, aware
    assert (food._lft, food._rgt, food.depth) == (1, 10, 0)
    assert food.type is CategoryType.PRODUCT


async def test_walk_is_depth_first_and_round_trip_is_lossless(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    async with sandbox.client() as client:
        drinks = await client.categories.get(6, include_children=True)
        flat = await client.categories.get(6, include_children=False)
    async with http.get(f"{sandbox.base_url}/categories/6", headers=headers) as r:
        served = (await r.json())["data"]
    assert converter.unstructure(drinks) == served
    assert [c.id for c in drinks.walk()] == [6, 7, 8]  # 9 is inactive
    assert [c.depth for c in drinks.walk()] == [0, 1, 1]
    assert flat.children is None
    assert list(flat.walk()) == [flat]
    deep = Category(id=1, children=tuple(Category(id=n) for n in (2, 3)))
    nested = Category(id=0, children=(deep, Category(id=4)))
    assert [c.id for c in nested.walk()] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("arguments", "query", "ids"),
    [
        ({"parent_id": 6}, [("parent_id", "6")], [7, 8]),
        ({"parent_id": 6, "include_inactive": True},
         [("parent_id", "6"), ("include_inactive", "true")], [7, 8, 9]),
        ({"type": CategoryType.INGREDIENT}, [("type", "INGREDIENT")], [10]),
        ({"type": "ACCOUNTING", "include_children": False},
         [("type", "ACCOUNTING"), ("include_children", "false")], [13]),
    ],
)  # fmt: skip
async def test_parameters_reach_the_server(
    sandbox: SandboxServer, arguments: dict[str, Any], query: list[tuple[str, str]], ids: list[int]
) -> None:
    async with sandbox.client() as client:
        page = await client.categories.list(**arguments)
    assert [c.id for c in page.items] == ids
    (sent,) = sandbox.requests("GET", "/categories")
    defaults = {"include_children": "true", "include_inactive": "false"}
    expected = dict(defaults, **dict(query))
    assert sent.query[:2] == [("page", "1"), ("limit", "50")]
    assert dict(sent.query[2:]) == expected
    assert page.total == len(ids)


async def test_top_level_only_has_no_children(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        page = await client.categories.list(include_children=False)
    assert [c.id for c in page.items] == [1, 6, 10, 13]
    assert all(c.children is None for c in page.items)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ({"limit": 1000}, "limit=1000 is not allowed: an integer from 1 to 999 is required"),
        ({"type": "MENU"}, "type='MENU' is not allowed: None or one of 'PRODUCT'"),
        ({"parent_id": -1}, "parent_id=-1 is not allowed"),
        ({"parent_id": "6"}, "parent_id='6' is not allowed"),
        ({"include_children": 1}, "include_children=1 is not allowed: True, False or None"),
        ({"include_inactive": "yes"}, "include_inactive='yes' is not allowed"),
        ({"concurrency": 0}, "concurrency=0 is not allowed"),
    ],
)
async def test_bad_arguments_send_nothing(
    sandbox: SandboxServer, call: dict[str, Any], message: str
) -> None:
    async with sandbox.client() as client:
        with pytest.raises(ClientValueError, match=message):
            client.categories.list(**call)
        with pytest.raises(ClientValueError, match="include_children=0"):
            await client.categories.get(1, include_children=0)  # type: ignore[arg-type]
        with pytest.raises(ClientValueError, match="id=0"):
            await client.categories.get(0)
    assert sandbox.log == []


async def test_get_missing_is_not_found_with_its_slug(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        with pytest.raises(NotFoundError) as missing:
            await client.categories.get(99)
    assert missing.value.code == "resource_not_found"  # API §9.6, §15 item 7


async def test_sandbox_checks_the_category_query(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    for query, fragment in [
        ({"limit": "1000"}, "limit='1000' is invalid: an integer from 1 to 999"),
        ({"type": "MENU"}, "type='MENU' is invalid"),
        ({"include_children": "maybe"}, "include_children='maybe' is invalid"),
    ]:
        async with http.get(f"{sandbox.base_url}/categories", params=query, headers=headers) as r:
            body = await r.json()
        assert r.status == 400
        assert fragment in body["message"]

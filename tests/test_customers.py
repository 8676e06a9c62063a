"""``client.customers`` and ``client.customer_groups`` against the sandbox (API §9.5)."""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timezone
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clopos_async import (
    ClientValueError,
    Customer,
    CustomerGroup,
    DecodeError,
    NotFoundError,
    converter,
)
from clopos_async.testing import SandboxServer


async def test_list_sweeps_every_customer_once_and_round_trips(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        page = await client.customers.list()
        swept = [c async for c in client.customers.list(limit=5)]
    wire = sandbox.rows("customers")
    assert page.total == len(wire) == 23
    assert [c.id for c in swept] == [row["id"] for row in wire]
    assert [converter.unstructure(c) for c in swept] == wire
    first = swept[0]
    assert first.created_at == datetime(2025, 7, 2, 10, 1, tzinfo=timezone.utc)
    assert first.date_of_birth == date(1971, 2, 15)
    assert [e.query[:2] for e in sandbox.requests("GET", "/customers")][-5:] == [
        [("page", str(n)), ("limit", "5")] for n in range(1, 6)
    ]


@pytest.mark.parametrize(
    ("arguments", "query", "ids"),
    [
        ({"name": "aliyev"}, [("filters[0][0]", "name"), ("filters[0][1]", "aliyev")],
         [2, 9, 17, 20, 23]),
        ({"phone": "+994550000010"}, [("filters[0][0]", "phones"),
                                       ("filters[0][1]", "+994550000010")], [10]),
        ({"group_id": 1, "name": "a"},
         [("filters[0][0]", "name"), ("filters[0][1]", "a"),
          ("filters[1][0]", "group_id"), ("filters[1][1]", "1")], [3, 9, 12, 15, 18, 21]),
        ({"include": "group"}, [("with[0]", "group")], list(range(1, 24))),
    ],
)  # fmt: skip
async def test_filters_and_includes_travel_in_brackets(
    sandbox: SandboxServer, arguments: dict[str, Any], query: list[tuple[str, str]], ids: list[int]
) -> None:
    async with sandbox.client() as client:
        found = [c async for c in client.customers.list(limit=999, **arguments)]
    assert [c.id for c in found] == ids
    (sent,) = sandbox.requests("GET", "/customers")
    assert sent.query == [("page", "1"), ("limit", "999"), *query]
    if "include" in arguments:
        assert all(isinstance(c.group, CustomerGroup) and c.group.id == c.group_id for c in found)


async def test_get_with_group_and_a_missing_one(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        one = await client.customers.get(4, include=["group"])
        with pytest.raises(NotFoundError) as missing:
            await client.customers.get(999)
    assert one.name == "Murad Guliyev"
    assert one.group is not None
    assert one.group.name == "VIP"
    assert one.group.created_at == datetime(2025, 6, 2, 8, 0, tzinfo=timezone.utc)
    assert missing.value.code == "not_found"
    (sent, _) = sandbox.requests("GET", "/customers/*")
    assert sent.query == [("with[0]", "group")]


async def test_customer_groups_list_the_total_envelope(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        groups = [g async for g in client.customer_groups.list(limit=2)]
        with pytest.raises(ClientValueError, match="limit=201 is not allowed"):
            client.customer_groups.list(limit=201)
    assert [converter.unstructure(g) for g in groups] == sandbox.rows("customer_groups")
    assert groups[0].system_type == "my_customers"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ({"limit": 1000}, "limit=1000 is not allowed: an integer from 1 to 999"),
        ({"limit": 0}, "limit=0 is not allowed"),
        ({"name": ""}, "name='' is not allowed"),
        ({"phone": 5}, "phone=5 is not allowed"),
        ({"group_id": True}, "group_id=True is not allowed"),
        ({"include": "orders"}, "include='orders' is not allowed: one of 'group'"),
        ({"include": ["group", 1]}, r"include\[1\]=1 is not allowed"),
    ],
)
async def test_bad_list_arguments_send_nothing(
    sandbox: SandboxServer, call: dict[str, Any], message: str
) -> None:
    async with sandbox.client() as client:
        with pytest.raises(ClientValueError, match=message):
            client.customers.list(**call)
        for bad in (0, -1, True, "", None, 1.5):
            with pytest.raises(ClientValueError, match="id="):
                await client.customers.get(bad)  # type: ignore[arg-type]
    assert sandbox.log == []


async def test_sandbox_rejects_unknown_filters_and_relations(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    url = f"{sandbox.base_url}/customers"
    for query, fragment in [
        ({"filters[0][0]": "search", "filters[0][1]": "x"}, "a field among name, phones"),
        ({"with[]": "orders"}, "one of group"),
        ({"limit": "1000"}, "an integer from 1 to 999"),
    ]:
        async with http.get(url, params=query, headers=headers) as response:
            body = await response.json()
        assert (response.status, body["error"]) == (400, "invalid_parameter")
        assert fragment in body["message"]


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
                    max_leaves=8))  # fmt: skip
def test_arbitrary_json_decodes_or_raises_decode_error(value: Any) -> None:
    for model in (Customer, CustomerGroup):
        with contextlib.suppress(DecodeError):
            converter.structure(value, model)

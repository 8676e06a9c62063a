"""``client.stations`` against the sandbox: the example resource built on the shared layer."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import aiohttp
import orjson
import pytest

from clopos_async import APITimeoutError, ClientValueError, NotFoundError, Station, converter
from clopos_async._api import Envelope
from clopos_async._api import _endpoints as api
from clopos_async.testing import SandboxServer
from clopos_async.testing._collections import Collection
from clopos_async.testing._wire import Call


async def test_list_returns_every_station_and_round_trips(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        page = await client.stations.list()
        swept = [station async for station in client.stations.list(limit=2)]
    wire = sandbox.rows("stations")
    assert page.total == len(wire) == 7
    assert [s.id for s in swept] == [row["id"] for row in wire]
    assert [converter.unstructure(s) for s in swept] == wire
    assert swept[0].created_at == datetime(2025, 7, 1, 9, 0, tzinfo=timezone.utc)
    lists = sandbox.requests("GET", "/stations")
    assert [entry.query for entry in lists][-4:] == [
        [("page", str(n)), ("limit", "2")] for n in (1, 2, 3, 4)
    ]


@pytest.mark.parametrize(
    ("arguments", "query", "names"),
    [
        ({"status": 0}, [("status", "0")], ["Cold starters", "Packing"]),
        ({"can_print": False}, [("can_print", "false")], ["Pastry", "Packing"]),
        (
            {"status": 1, "can_print": True},
            [("status", "1"), ("can_print", "true")],
            ["Kitchen", "Grill", "Bar", "Tandoor"],
        ),
    ],
)
async def test_list_filters_by_status_and_can_print(
    sandbox: SandboxServer,
    arguments: dict[str, Any],
    query: list[tuple[str, str]],
    names: list[str],
) -> None:
    async with sandbox.client() as client:
        page = await client.stations.list(**arguments)
    assert [s.name for s in page.items] == names
    assert page.total == len(names)
    (sent,) = sandbox.requests("GET", "/stations")
    assert sent.query == [("page", "1"), ("limit", "50"), *query]


async def test_get_one_and_a_missing_one(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        grill = await client.stations.get(2)
        with pytest.raises(NotFoundError) as missing:
            await client.stations.get(99)
    assert grill == converter.structure(sandbox.rows("stations")[1], Station)
    assert missing.value.code == "resource_not_found"  # API §15 item 7


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ({"status": 2}, "status=2 is not allowed: None or one of 0, 1 is required"),
        ({"status": True}, "status=True is not allowed"),
        ({"can_print": 1}, "can_print=1 is not allowed: True, False or None is required"),
        ({"limit": 201}, "limit=201 is not allowed: an integer from 1 to 200 is required"),
        ({"page": 0}, "page=0 is not allowed"),
    ],
)
async def test_bad_list_arguments_send_nothing(
    sandbox: SandboxServer, call: dict[str, Any], message: str
) -> None:
    async with sandbox.client() as client:
        with pytest.raises(ClientValueError, match=message):
            client.stations.list(**call)
        for bad in (0, -1, True, "", " ", None, 1.0, 2**63):
            with pytest.raises(ClientValueError, match="id="):
                await client.stations.get(bad)  # type: ignore[arg-type]
    assert sandbox.log == []


async def test_a_string_id_is_quoted_into_one_path_segment(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        with pytest.raises(NotFoundError):
            await client.stations.get("kitchen/../1")
    (sent,) = sandbox.requests("GET", "/stations/*")
    # Sent as kitchen%2F..%2F1: unquoted, the URL would have been normalised to /stations/1.
    assert sent.path == "/stations/kitchen/../1"
    assert sandbox.requests("GET", "/stations/1") == []


async def test_sandbox_checks_the_query_from_the_facts(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    for query, fragment in [
        ({"limit": "201"}, "limit='201' is invalid: an integer from 1 to 200"),
        ({"status": "3"}, "status='3' is invalid: one of 0, 1"),
        ({"can_print": "yes"}, "can_print='yes' is invalid: true or false"),
    ]:
        async with http.get(f"{sandbox.base_url}/stations", params=query, headers=headers) as r:
            body = await r.json()
        assert r.status == 400
        assert body["error"] == "invalid_parameter"
        assert fragment in body["message"]


def test_both_list_envelopes_are_served_by_the_endpoint_facts() -> None:
    # API §15 item 8: customers, orders and price lists answer with ``pagination``.
    assert api.STATIONS.envelope is Envelope.TOTAL
    assert api.CUSTOMERS.envelope is Envelope.PAGINATION
    rows = [{"id": n, "name": f"Group {n}"} for n in range(1, 6)]
    paged = Collection(api.CUSTOMERS, api.CUSTOMER, rows)
    call = Call(method="GET", path="/customers", query=(("page", "2"), ("limit", "2")),
                headers={}, body=b"", ip="x", received=0.0)  # fmt: skip
    body = orjson.loads(paged.list(call, None).body)
    assert body["pagination"] == {"page": 2, "per_page": 2, "total": 5, "total_pages": 3}
    assert [row["id"] for row in body["data"]] == [3, 4]
    assert "total" not in body


async def test_views_mount_their_own_resources_with_their_own_deadline(
    sandbox: SandboxServer,
) -> None:
    async with sandbox.client() as client:
        view = client.with_options(deadline=0.3)
        assert view.stations is view.stations
        assert view.stations is not client.stations
        await client.authenticate()
        sandbox.fault("/stations/2", delay=2.0, attempts=[1])
        with pytest.raises(APITimeoutError):
            await view.stations.get(2)
        assert (await client.stations.get(2)).name == "Grill"
    assert len(sandbox.requests("GET", "/stations/2")) == 2  # one per call: no retry in 0.3 s

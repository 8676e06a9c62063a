"""venues, users, sale_types, payment_methods against the sandbox: the shared list behaviour.

Per-resource details (shapes, helpers, timestamps) are in test_venues/test_users/test_sales.
"""

from __future__ import annotations

from typing import Any

import attrs
import orjson
import pytest

from clopos_async import ClientValueError, converter
from clopos_async._api import Envelope
from clopos_async._wire import decode_list
from clopos_async.resources._base import wire_page
from clopos_async.testing import SandboxServer
from clopos_async.testing._collections import Collection
from clopos_async.testing._wire import Call
from tests.basics_cases import CASES, Case

pytestmark = pytest.mark.parametrize("case", CASES, ids=str)


async def test_every_item_once_in_bracket_free_paging_and_a_lossless_round_trip(
    sandbox: SandboxServer, case: Case
) -> None:
    wire = sandbox.rows(case.resource)
    async with sandbox.client() as client:
        first = await case.lister(client)()
        swept = [item async for item in case.lister(client)(limit=1)]
    assert first.total == len(wire) >= 3
    assert [item.id for item in swept] == [row["id"] for row in wire]
    assert all(type(item) is case.model for item in swept)
    assert [converter.unstructure(item) for item in swept] == wire
    sent = [entry.query for entry in sandbox.requests("GET", case.path)]
    assert sent == [
        [("page", "1"), ("limit", "50")],
        *([("page", str(n)), ("limit", "1")] for n in range(1, len(wire) + 1)),
    ]


async def test_max_items_and_concurrency_stop_at_the_end(
    sandbox: SandboxServer, case: Case
) -> None:
    wire = sandbox.rows(case.resource)
    async with sandbox.client() as client:
        two = [item async for item in case.lister(client)(limit=1, max_items=2)]
        every = [item async for item in case.lister(client)(limit=2, concurrency=3)]
    assert [item.id for item in two] == [row["id"] for row in wire[:2]]
    assert sorted(item.id for item in every) == sorted(row["id"] for row in wire)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"limit": 201}, "limit=201 is not allowed: an integer from 1 to 200 is required"),
        ({"limit": 0}, "limit=0 is not allowed"),
        ({"page": 0}, "page=0 is not allowed"),
        ({"page": True}, "page=True is not allowed"),
        ({"max_items": -1}, "max_items=-1 is not allowed"),
        ({"concurrency": 0}, "concurrency=0 is not allowed"),
    ],
)
async def test_bad_arguments_send_nothing(
    sandbox: SandboxServer, case: Case, arguments: dict[str, Any], message: str
) -> None:
    async with sandbox.client() as client:
        with pytest.raises(ClientValueError, match=message):
            case.lister(client)(**arguments)
    assert sandbox.log == []


def test_both_list_envelopes_decode_to_the_same_items(sandbox: SandboxServer, case: Case) -> None:
    # API §15 item 8: a list may come as ``total`` or as ``pagination{...}``.
    rows = sandbox.rows(case.resource)
    decoded: list[list[Any]] = []
    for envelope in (Envelope.TOTAL, Envelope.PAGINATION):
        served = Collection(attrs.evolve(case.endpoint, envelope=envelope), None, rows)
        call = Call(method="GET", path=case.path, query=(("page", "1"), ("limit", "2")),
                    headers={}, body=b"", ip="x", received=0.0)  # fmt: skip
        body = orjson.loads(served.list(call, None).body)
        assert ("pagination" in body) is (envelope is Envelope.PAGINATION)
        page = wire_page(body, 1, 2)
        assert page.total == len(rows)
        decoded.append(decode_list(case.model, list(page.items)))
    assert decoded[0] == decoded[1] == [converter.structure(r, case.model) for r in rows[:2]]

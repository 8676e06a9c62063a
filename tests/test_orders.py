"""``client.orders`` reads and cancel against the sandbox (API §9.11, §10.4)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pytest

from clopos_async import (
    BadRequestError,
    ClientValueError,
    NotFoundError,
    Order,
    OrderStatus,
    RetryPolicy,
    converter,
)
from clopos_async.testing import SandboxServer

FAST = RetryPolicy(max_attempts=4, base=0.01, cap=0.02)


async def test_iterating_returns_every_order_once_and_round_trips(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        swept = [order async for order in client.orders.list(limit=5, sort="id", order="asc")]
    ids = sandbox.orders.ids()
    assert [o.id for o in swept] == ids
    assert len(ids) == 24
    assert [converter.unstructure(o) for o in swept] == [sandbox.orders.row(i) for i in ids]
    assert swept[0].created_at == datetime(2025, 8, 1, 21, 0, tzinfo=timezone.utc)
    pages = [dict(entry.query)["page"] for entry in sandbox.requests("GET", "/orders")]
    assert pages == ["1", "2", "3", "4", "5"]  # 24 rows, 5 a page: never a page past the end


@pytest.mark.parametrize("status", list(OrderStatus))
async def test_status_filter_is_a_plain_parameter(
    sandbox: SandboxServer, status: OrderStatus
) -> None:
    async with sandbox.client() as client:
        page = await client.orders.list(status=status)
    assert {o.status for o in page.items} == {status}
    assert sorted(o.id for o in page.items) == sandbox.orders.ids(status.value)
    (sent,) = sandbox.requests("GET", "/orders")
    assert ("status", status.value) in sent.query


async def test_parameters_travel_in_bracket_notation(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        page = await client.orders.list(
            date_from="2025-08-03", date_to=date(2025, 8, 6), sort="updated_at", order="asc",
            include=["customer", "receipt"], filters={"venue_id": 1}, limit=3,
        )  # fmt: skip
    (sent,) = sandbox.requests("GET", "/orders")
    assert sent.query == [
        ("page", "1"), ("limit", "3"), ("sort[0]", "updated_at"), ("sort[1]", "1"),
        ("date[0]", "2025-08-03"), ("date[1]", "2025-08-06"), ("with[0]", "customer"),
        ("with[1]", "receipt"), ("filters[0][0]", "venue_id"), ("filters[0][1]", "1"),
    ]  # fmt: skip
    days = {o.created_at.date() for o in page.items if o.created_at is not None}
    assert days
    assert all(date(2025, 8, 3) <= d <= date(2025, 8, 6) for d in days)
    assert all(o.customer is not None and o.customer.phone for o in page.items)
    assert [o.updated_at for o in page.items] == sorted(o.updated_at for o in page.items)  # type: ignore[type-var]


async def test_descending_is_the_default(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        page = await client.orders.list(limit=4)
    assert [o.id for o in page.items] == [24, 23, 22, 21]
    (sent,) = sandbox.requests("GET", "/orders")
    assert ("sort[0]", "created_at") in sent.query
    assert ("sort[1]", "-1") in sent.query


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"status": "DONE"}, "status='DONE'"),
        ({"sort": "total"}, "sort='total'"),
        ({"order": 0}, "order=0"),
        ({"include": "lines"}, "include='lines'"),
        ({"include": ["customer", 5]}, "include[1]=5"),
        ({"filters": {"total": 1}}, "filters[0][0]='total'"),
        ({"date_from": "2025-13-01"}, "date_from"),
        ({"limit": 201}, "limit=201"),
        ({"page": 0}, "page=0"),
    ],
)
async def test_bad_list_arguments_send_nothing(
    sandbox: SandboxServer, arguments: dict[str, Any], named: str
) -> None:
    async with sandbox.client() as client:
        with pytest.raises(ClientValueError, match=named.replace("[", r"\[").replace("]", r"\]")):
            client.orders.list(**arguments)
    assert sandbox.log == []


async def test_get_with_and_without_the_receipt(sandbox: SandboxServer) -> None:
    pending = sandbox.orders.ids("PENDING")[0]
    async with sandbox.client() as client:
        plain = await client.orders.get(pending)
        receipt_id = sandbox.accept_order(pending)
        accepted = await client.orders.get(pending, include_receipt=True)
    assert plain.status is OrderStatus.PENDING
    assert plain.receipt is None
    assert "receipt" not in converter.unstructure(plain)
    assert accepted.status is OrderStatus.RECEIVED
    assert accepted.receipt is not None
    assert accepted.receipt.id == receipt_id
    sent = sandbox.requests("GET", f"/orders/{pending}")
    assert sent[0].query == []
    assert sent[1].query == [("with[0]", "receipt:id,service_notification_id,status")]


async def test_get_of_a_missing_order_is_not_found(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        with pytest.raises(NotFoundError):
            await client.orders.get(9999)
        with pytest.raises(ClientValueError, match="include_receipt=1"):
            await client.orders.get(1, include_receipt=1)  # type: ignore[arg-type]
        with pytest.raises(ClientValueError, match="id=0"):
            await client.orders.get(0)
    assert len(sandbox.requests("GET", "/orders/*")) == 1


async def test_cancel_is_retried_on_503_with_one_change(sandbox: SandboxServer) -> None:
    pending = sandbox.orders.ids("PENDING")[0]
    sandbox.fault(f"/orders/{pending}", method="PUT", status=503, attempts=[1, 2])
    async with sandbox.client(retry=FAST) as client:
        cancelled = await client.orders.cancel(pending)
    assert cancelled.status is OrderStatus.IGNORE
    assert cancelled.id == pending
    puts = sandbox.requests("PUT", f"/orders/{pending}")
    assert [p.status for p in puts] == [503, 503, 200]
    assert [(c.id, c.action) for c in sandbox.changes] == [(pending, "cancel")]


async def test_cancel_after_a_lost_answer_is_one_change(sandbox: SandboxServer) -> None:
    pending = sandbox.orders.ids("PENDING")[0]
    sandbox.fault(f"/orders/{pending}", method="PUT", reset="after", attempts=[1])
    async with sandbox.client(retry=FAST) as client:
        cancelled = await client.orders.cancel(pending)
    assert cancelled.status is OrderStatus.IGNORE
    assert len(sandbox.requests("PUT", f"/orders/{pending}")) == 2
    assert [c.action for c in sandbox.changes] == ["cancel"]


@pytest.mark.parametrize("status", ["RECEIVED", "DELIVERED"])
async def test_cancel_of_an_order_not_pending_is_the_servers_400(
    sandbox: SandboxServer, status: str
) -> None:
    order_id = sandbox.orders.ids(status)[0]
    async with sandbox.client(retry=FAST) as client:
        with pytest.raises(BadRequestError) as raised:
            await client.orders.cancel(order_id)
    assert raised.value.code == "validation_failed"
    assert raised.value.message == "Status is not allowed"
    assert len(sandbox.requests("PUT", "/orders/*")) == 1  # a 400 is never retried
    assert sandbox.changes == []


def test_round_trip_is_lossless_for_the_older_snapshot() -> None:
    wire = {
        "id": 7, "number": "A-7", "total": 12.5, "customer_id": 3, "payment_status": "paid",
        "delivery_type": "courier", "receipt_id": 99, "status": "NEW_STATUS",
        "created_at": "2026-02-02T13:45:53.000000Z", "updated_at": None, "unknown": {"a": [1]},
        "receipt": {"id": 99, "service_notification_id": 5, "status": 1, "x": True},
        "payload": {"service": {"sale_type_id": 1, "venue_id": 1, "venue_name": "Main"},
                    "products": [{"product_id": 1, "count": 2, "price": 8.5,
                                  "product_modificators": [], "meta": {"price": 8.5}}],
                    "meta": {"comment": "ring twice"}, "delivery_fee": 3},
    }  # fmt: skip
    order = converter.structure(wire, Order)
    assert converter.unstructure(order) == wire
    assert order.status == "NEW_STATUS"
    assert order.receipt is not None
    assert order.payload is not None
    assert order.payload.products is not None
    assert str(order.payload.products[0].price) == "8.5"
    assert order.extra == {"unknown": {"a": [1]}}

"""The sandbox's one state-change log: every write, in order, counted the same way."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clopos_async import (
    BadRequestError,
    ClientValueError,
    ConflictError,
    OrderCustomer,
    OrderProduct,
    PaymentMethod,
    ReceiptOrderStatus,
)
from clopos_async.testing import CloseRecord, SandboxServer, StateChange

CUSTOMER = OrderCustomer(id=1, name="Aysel", phone="994500000001", address="1 Nizami St")
LINES = (OrderProduct(product_id=3, count=2, price="8.50"),)
CID = "5b0d3c9e-6f4a-4c1e-9a77-2f6f0d8b1c42"


async def test_every_write_appends_one_change_in_order(sandbox: SandboxServer) -> None:
    open_id = sandbox.receipt_ids(status=1)[0]
    pending = sandbox.orders.ids("PENDING")
    async with sandbox.client() as client:
        total = Decimal(str(sandbox.receipt(open_id)["total"]))
        await client.receipts.close(open_id, [PaymentMethod(id=1, name="Cash", amount=total)])
        await client.receipts.update(open_id, order_status=ReceiptOrderStatus.READY)
        made = await client.customers.create(name="Nurlan Aliyev", phone="+994501112233", cid=CID)
        order = await client.orders.create(
            sale_type_id=1, venue_id=1, customer=CUSTOMER, products=LINES, order_number="WEB-1"
        )
        await client.orders.cancel(pending[0])
    receipt_id = sandbox.accept_order(pending[1])

    def seeded(order_id: int) -> str:
        return str(sandbox.orders.row(order_id)["order_number"])

    closed = sandbox.receipt(open_id)
    assert sandbox.changes == [
        StateChange(
            resource="receipts",
            action="close",
            id=open_id,
            detail={"payment_methods": closed["payment_methods"], "closed_at": closed["closed_at"]},
        ),
        StateChange(
            resource="receipts", action="update", id=open_id, detail={"order_status": "READY"}
        ),
        StateChange(resource="customers", action="create", id=int(made.id), key=CID),
        StateChange(resource="orders", action="create", id=order.id, key="WEB-1"),
        StateChange(resource="orders", action="cancel", id=pending[0], key=seeded(pending[0])),
        StateChange(
            resource="orders",
            action="accept",
            id=pending[1],
            key=seeded(pending[1]),
            detail={"receipt_id": receipt_id},
        ),
    ]
    assert sandbox.changes_to("orders") == sandbox.changes[3:]
    assert [c.id for c in sandbox.changes_to("orders", "create")] == [order.id]
    assert sandbox.closes == [
        CloseRecord(
            receipt_id=open_id,
            payment_methods=closed["payment_methods"],
            closed_at=closed["closed_at"],
        )
    ]
    sandbox.reset_stats()
    assert (sandbox.changes, sandbox.closes) == ([], [])


async def test_rejected_writes_change_nothing(sandbox: SandboxServer) -> None:
    open_id = sandbox.receipt_ids(status=1)[0]
    taken = sandbox.rows("customers")[0]["phones"][0]
    cash = [
        PaymentMethod(id=1, name="Cash", amount=Decimal(str(sandbox.receipt(open_id)["total"])))
    ]
    async with sandbox.client() as client:
        with pytest.raises(BadRequestError):
            await client.receipts.close(open_id, cash, closed_at="2001-01-01 00:00:00")
        with pytest.raises(ConflictError):
            await client.customers.create(name="Twin", phone=taken, cid=CID)
    assert [entry.status for entry in sandbox.log if entry.method == "POST"][-2:] == [400, 409]
    assert sandbox.changes == []


async def test_accepting_an_unknown_or_settled_order_names_the_argument(
    sandbox: SandboxServer,
) -> None:
    settled = sandbox.orders.ids("RECEIVED")[0]
    with pytest.raises(ClientValueError, match=r"order_id=9999 is not allowed"):
        sandbox.accept_order(9999)
    with pytest.raises(ClientValueError, match=rf"order_id={settled} is not allowed.*PENDING"):
        sandbox.accept_order(settled)
    assert sandbox.changes == []


async def test_the_change_log_cannot_be_replaced_from_under_the_writers(
    sandbox: SandboxServer,
) -> None:
    log = sandbox.changes
    with pytest.raises(AttributeError):
        sandbox.changes = []  # type: ignore[misc]
    assert sandbox.changes is log

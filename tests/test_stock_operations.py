"""``client.receipts.stock_operations``: a receipt's write-offs (API §9.12, §10.16)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from clopos_async import ClientValueError, NotFoundError, StockOperation, converter
from clopos_async.testing import SandboxServer


async def test_one_operation_per_line_of_a_closed_receipt(sandbox: SandboxServer) -> None:
    receipt_id = sandbox.receipt_ids(status=2)[0]
    lines = sandbox.receipt(receipt_id, include=["receipt_products"])["receipt_products"]
    async with sandbox.client() as client:
        operations = await client.receipts.stock_operations(receipt_id)
    assert [op.receipt_product_id for op in operations] == [line["id"] for line in lines]
    assert [op.product_id for op in operations] == [line["product_id"] for line in lines]
    assert all(op.receipt_id == receipt_id and op.operation_id is None for op in operations)
    first = operations[0]
    assert isinstance(first.quantity, Decimal)
    assert isinstance(first.total_cost, Decimal)
    assert first.after_quantity == (first.before_quantity or 0) - (first.quantity or 0)
    assert type(first.operated_at) is datetime
    assert first.operated_at.tzinfo is None
    assert first.stock is not None
    assert first.stock.storage is not None
    served = sandbox.stock.operations(receipt_id)
    assert [converter.unstructure(op) for op in operations] == served
    (sent,) = sandbox.requests("GET", "/receipts/*/stock-operations")
    assert (sent.path, sent.query) == (f"/receipts/{receipt_id}/stock-operations", [])


async def test_an_open_receipt_has_none_and_a_missing_one_is_404(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        assert await client.receipts.stock_operations(sandbox.receipt_ids(status=1)[0]) == []
        with pytest.raises(NotFoundError) as missing:
            await client.receipts.stock_operations(10**6)
    assert missing.value.code == "not_found"


async def test_bad_ids_send_nothing(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        for bad in (0, -1, True, "1", None, 1.0, 2**63):
            with pytest.raises(ClientValueError, match="id="):
                await client.receipts.stock_operations(bad)  # type: ignore[arg-type]
    assert sandbox.log == []


def test_decimal_quantities_round_trip() -> None:
    wire = {
        "id": 1,
        "quantity": 0.25,
        "cost": 3,
        "operated_at": "2025-08-01 10:00:00",
        "product": {"id": 4, "name": "Qutab"},
        "stock": {"id": 4, "storage": {"id": 1}},
    }
    operation = converter.structure(wire, StockOperation)
    assert operation.quantity == Decimal("0.25")
    assert converter.unstructure(operation) == wire

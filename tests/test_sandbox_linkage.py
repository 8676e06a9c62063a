"""The sandbox's data is linked: every id a receipt references exists (issue 12)."""

from __future__ import annotations

from clopos_async.testing import SandboxServer


async def test_every_id_a_receipt_references_exists(sandbox: SandboxServer) -> None:
    catalogue = {name: {row["id"] for row in sandbox.rows(name)}
                 for name in ("venues", "users", "sale_types", "payment_methods")}  # fmt: skip
    names = {row["id"]: row["name"] for row in sandbox.rows("payment_methods")}
    receipts = [sandbox.receipt(i) for i in sandbox.receipt_ids()]
    assert len(receipts) == 300
    for receipt in receipts:
        assert receipt["venue_id"] in catalogue["venues"]
        assert receipt["user_id"] in catalogue["users"]
        assert receipt["sale_type_id"] in catalogue["sale_types"]
        for payment in receipt["payment_methods"]:
            assert names[payment["id"]] == payment["name"]
    assert {p["id"] for r in receipts for p in r["payment_methods"]} == {1, 2, 3}


async def test_stock_operations_point_at_the_receipts_own_lines(sandbox: SandboxServer) -> None:
    checked = 0
    for receipt_id in sandbox.receipt_ids(status=2)[:40]:
        receipt = sandbox.receipt(receipt_id, include=["receipt_products"])
        lines = {line["id"]: line for line in receipt["receipt_products"]}
        operations = sandbox.stock.operations(receipt_id)
        assert sorted(op["receipt_product_id"] for op in operations) == sorted(lines)
        for op in operations:
            line = lines[op["receipt_product_id"]]
            assert (op["receipt_id"], op["product_id"]) == (receipt_id, line["product_id"])
            assert op["quantity"] == line["count"]
            assert op["operated_at"] == receipt["closed_at"]
            checked += 1
    assert checked >= 40

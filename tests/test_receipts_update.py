"""``receipts.update``: PATCH the four writable fields, retried like a GET (API §9.12)."""

from __future__ import annotations

from typing import Any

import pytest

from clopos_async import (
    ClientValueError,
    NotFoundError,
    Receipt,
    ReceiptOrderStatus,
    RetryPolicy,
    converter,
)
from clopos_async.testing import SandboxServer

FAST = RetryPolicy(max_attempts=4, base=0.01, cap=0.02)


async def test_update_changes_only_the_given_fields_on_a_closed_receipt(
    sandbox: SandboxServer,
) -> None:
    receipt_id = sandbox.receipt_ids(status=2)[0]
    before = sandbox.receipt(receipt_id)
    wanted = next(s for s in ReceiptOrderStatus if s.value != before.get("order_status"))
    assert before.get("lock") is not True
    async with sandbox.client() as client:
        updated = await client.receipts.update(receipt_id, order_status=wanted, lock=True)
    (patch,) = sandbox.requests("PATCH", f"/receipts/{receipt_id}")
    assert patch.status == 200
    after = sandbox.receipt(receipt_id)
    assert isinstance(updated, Receipt)
    assert updated.order_status is wanted
    assert updated.lock is True
    assert converter.unstructure(updated) == after
    changed = {key for key in after if after[key] != before.get(key)}
    assert changed == {"order_status", "lock", "updated_at"}


@pytest.mark.parametrize(
    "fault",
    [{"status": 503, "attempts": [1, 2]}, {"reset": "after", "attempts": [1]},
     {"status": 502, "apply": True, "attempts": [1]}],
    ids=["503-twice", "reset-after-apply", "502-after-apply"],
)  # fmt: skip
async def test_update_is_retried_and_has_one_effect(
    sandbox: SandboxServer, fault: dict[str, Any]
) -> None:
    receipt_id = sandbox.receipt_ids(status=1)[0]
    sandbox.fault(f"/receipts/{receipt_id}", method="PATCH", **fault)
    async with sandbox.client(retry=FAST) as client:
        updated = await client.receipts.update(receipt_id, order_number="RPO-00042")
    patches = sandbox.requests("PATCH", f"/receipts/{receipt_id}")
    assert len(patches) == len(fault["attempts"]) + 1
    assert patches[-1].status == 200
    assert updated.order_number == sandbox.receipt(receipt_id)["order_number"] == "RPO-00042"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ({}, "update\\(\\) with no field is not allowed: give at least one of order_status"),
        ({"order_status": "DONE"}, "order_status='DONE' is not allowed: one of NEW, SCHEDULED"),
        ({"order_status": 1}, "order_status=1 is not allowed"),
        ({"lock": "yes"}, "lock='yes' is not allowed: True, False or None"),
        ({"lock": 1}, "lock=1 is not allowed"),
        ({"fiscal_id": ""}, "fiscal_id='' is not allowed"),
        ({"order_number": 42}, "order_number=42 is not allowed"),
    ],
)
async def test_bad_updates_send_nothing(
    sandbox: SandboxServer, call: dict[str, Any], message: str
) -> None:
    async with sandbox.client() as client:
        with pytest.raises(ClientValueError, match=message):
            await client.receipts.update(1, **call)
        with pytest.raises(ClientValueError, match="id="):
            await client.receipts.update(0, lock=True)
    assert sandbox.log == []


async def test_update_of_a_missing_receipt_is_not_found(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        with pytest.raises(NotFoundError):
            await client.receipts.update(10**6, order_status="READY")
    assert len(sandbox.requests("PATCH")) == 1  # a 404 is not retried

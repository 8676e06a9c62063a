"""Testing your own code with the ``clopos_sandbox`` pytest fixture.

Installing clopos-async registers the fixture (a pytest plugin); it yields a
started SandboxServer, by default with 200 receipts from seed 0. The
``clopos_sandbox`` marker changes its arguments. Needs pytest-asyncio:

    pytest examples/test_with_sandbox_fixture.py
"""

from __future__ import annotations

from datetime import date

import pytest

from clopos_async import CloposClient, PaymentMethod, ReceiptStatus
from clopos_async.testing import SandboxServer


async def count_day(clopos: CloposClient, day: str) -> int:
    """The code under test: how many receipts a day has."""
    return sum([1 async for _ in clopos.receipts.list(date_from=day, date_to=day)])


@pytest.mark.asyncio
async def test_counts_every_receipt_of_a_day(clopos_sandbox: SandboxServer) -> None:
    async with clopos_sandbox.client() as clopos:
        counted = await count_day(clopos, "2025-08-03")
    day = date(2025, 8, 3)
    assert counted == len(clopos_sandbox.receipt_ids(date_from=day, date_to=day))


@pytest.mark.asyncio
@pytest.mark.clopos_sandbox(receipts=40, seed=9)
async def test_a_lost_response_still_closes_once(clopos_sandbox: SandboxServer) -> None:
    receipt_id = clopos_sandbox.receipt_ids(status=1)[0]
    # The server applies the close, then the connection drops before the answer.
    clopos_sandbox.fault(f"/receipts/{receipt_id}/close", attempts=[1], reset="after")
    async with clopos_sandbox.client() as clopos:
        receipt = await clopos.receipts.get(receipt_id)
        cash = PaymentMethod(id=1, name="Cash", amount=receipt.total or 0)
        await clopos.receipts.close(receipt, [cash])
        assert (await clopos.receipts.get(receipt_id)).status == ReceiptStatus.CLOSED
    assert len(clopos_sandbox.closes) == 1

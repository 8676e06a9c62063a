"""The exactly-once close against the sandbox: faults, reconciliation, guards."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from clopos_async import (
    BadRequestError,
    ClientValueError,
    CloseConflictError,
    ClosedAtNotAfterCreatedError,
    EmptyPaymentsError,
    NegativeAmountError,
    NotFoundError,
    OverpaymentError,
    PaymentMethod,
    ReceiptNotOpenError,
    RetryPolicy,
    UnderpaymentError,
)
from clopos_async.testing import SandboxServer

FAST = RetryPolicy(max_attempts=4, base=0.01, cap=0.02)
CLOSE = "/receipts/*/close"


def open_receipt(sb: SandboxServer, index: int = 0) -> tuple[int, Decimal]:
    receipt_id = sb.receipt_ids(status=1)[index]
    return receipt_id, Decimal(str(sb.receipt(receipt_id)["total"]))


def cash(amount: Decimal) -> list[PaymentMethod]:
    return [PaymentMethod(id=1, name="Cash", amount=amount)]


async def test_close_an_open_receipt(sandbox: SandboxServer) -> None:
    receipt_id, total = open_receipt(sandbox)
    async with sandbox.client(retry=FAST) as clopos:
        done = await clopos.receipts.close(receipt_id, cash(total))
    assert done.id == receipt_id
    assert [(p.id, p.amount) for p in done.payment_methods] == [(1, total)]
    assert sandbox.receipt(receipt_id)["status"] == 2
    assert len(sandbox.closes) == 1


async def test_close_then_reset_returns_success_with_one_state_change(
    sandbox: SandboxServer,
) -> None:
    receipt_id, total = open_receipt(sandbox)
    sandbox.fault(CLOSE, method="POST", attempts=[1], reset="after")
    async with sandbox.client(retry=FAST) as clopos:
        done = await clopos.receipts.close(receipt_id, cash(total))
    assert done.id == receipt_id
    assert len(sandbox.closes) == 1
    assert len(sandbox.requests("POST", CLOSE)) == 1
    assert len(sandbox.requests("GET", f"/receipts/{receipt_id}")) == 1


async def test_5xx_before_the_close_reconciles_then_closes_again(sandbox: SandboxServer) -> None:
    receipt_id, total = open_receipt(sandbox)
    sandbox.fault(CLOSE, method="POST", attempts=[1], status=502)
    async with sandbox.client(retry=FAST) as clopos:
        await clopos.receipts.close(receipt_id, cash(total))
    assert len(sandbox.closes) == 1
    assert len(sandbox.requests("POST", CLOSE)) == 2


async def test_timeout_while_the_server_is_slow_still_closes_once(sandbox: SandboxServer) -> None:
    receipt_id, total = open_receipt(sandbox)
    sandbox.fault(CLOSE, method="POST", attempts=[1], delay=0.6)
    async with sandbox.client(retry=FAST, timeout=0.3) as clopos:
        done = await clopos.receipts.close(receipt_id, cash(total))
        assert done.id == receipt_id
    assert len(sandbox.closes) == 1


async def test_429_on_close_is_retried(sandbox: SandboxServer) -> None:
    receipt_id, total = open_receipt(sandbox)
    sandbox.fault(CLOSE, method="POST", attempts=[1], status=429, headers={"RateLimit-Reset": "0"})
    async with sandbox.client(retry=FAST) as clopos:
        await clopos.receipts.close(receipt_id, cash(total))
    assert len(sandbox.closes) == 1
    assert [r.status for r in sandbox.requests("POST", CLOSE)] == [429, 200]


async def test_closed_by_someone_else_is_a_conflict(sandbox: SandboxServer) -> None:
    receipt_id, total = open_receipt(sandbox)
    sandbox.close_directly(receipt_id, [{"id": 2, "name": "Card", "amount": float(total)}])
    async with sandbox.client(retry=FAST) as clopos:
        with pytest.raises(CloseConflictError) as info:
            await clopos.receipts.close(receipt_id, cash(total))
    assert info.value.receipt_id == receipt_id
    assert sandbox.closes == []


async def test_replaying_a_close_we_made_returns_the_same_success(sandbox: SandboxServer) -> None:
    receipt_id, total = open_receipt(sandbox)
    async with sandbox.client(retry=FAST) as clopos:
        first = await clopos.receipts.close(receipt_id, cash(total))
        again = await clopos.receipts.close(receipt_id, cash(total))
    assert (again.id, again.closed_at) == (first.id, first.closed_at)
    assert len(sandbox.closes) == 1


async def test_unknown_id_is_not_found(sandbox: SandboxServer) -> None:
    async with sandbox.client(retry=FAST) as clopos:
        with pytest.raises(NotFoundError):
            await clopos.receipts.close(987_654, cash(Decimal(10)))


async def test_closed_at_before_created_at_goes_to_the_server(sandbox: SandboxServer) -> None:
    receipt_id, total = open_receipt(sandbox)
    async with sandbox.client(retry=FAST) as clopos:
        with pytest.raises(BadRequestError) as info:
            await clopos.receipts.close(receipt_id, cash(total), closed_at="2001-01-01 00:00:00")
    assert info.value.code == "validation_failed"
    assert len(sandbox.requests("POST", CLOSE)) == 1
    assert sandbox.closes == []


async def test_explicit_closed_at_is_sent_and_returned(sandbox: SandboxServer) -> None:
    receipt_id, total = open_receipt(sandbox)
    when = datetime(2030, 1, 2, 3, 4, 5)
    async with sandbox.client(retry=FAST) as clopos:
        done = await clopos.receipts.close(receipt_id, cash(total), closed_at=when)
    assert done.closed_at == when
    assert sandbox.receipt(receipt_id)["closed_at"] == "2030-01-02 03:04:05"


async def test_closing_with_a_receipt_object_uses_its_total(sandbox: SandboxServer) -> None:
    receipt_id, total = open_receipt(sandbox)
    async with sandbox.client(retry=FAST) as clopos:
        receipt = await clopos.receipts.get(receipt_id)
        with pytest.raises(UnderpaymentError):
            await clopos.receipts.close(receipt, cash(total - 1))
        with pytest.raises(OverpaymentError):
            await clopos.receipts.close(receipt, cash(total + Decimal("0.01")))
        created = receipt.created_at
        assert created is not None
        with pytest.raises(ClosedAtNotAfterCreatedError):
            await clopos.receipts.close(receipt, cash(total), closed_at=created)
        await clopos.receipts.close(receipt, cash(total))
        with pytest.raises(ReceiptNotOpenError):
            await clopos.receipts.close(await clopos.receipts.get(receipt_id), cash(total))
    assert len(sandbox.requests("POST", CLOSE)) == 1


@pytest.mark.parametrize(
    ("payments", "kwargs", "error"),
    [
        ([], {}, EmptyPaymentsError),
        ([PaymentMethod(id=1, name="Cash", amount=-5)], {}, NegativeAmountError),
        ([PaymentMethod(id=1, name="Cash", amount=5)], {"expected_total": 6}, UnderpaymentError),
        ([PaymentMethod(id=1, name="Cash", amount=7)], {"expected_total": 6}, OverpaymentError),
        (
            [PaymentMethod(id=1, name="Cash", amount=7)],
            {"closed_at": datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=4)))},
            ClientValueError,
        ),
        (
            [PaymentMethod(id=1, name="Cash", amount=7)],
            {"closed_at": "2025-01-01T00:00"},
            ClientValueError,
        ),
        ("cash", {}, ClientValueError),
        ([{"id": 1, "name": "Cash"}], {}, ClientValueError),
    ],
)
async def test_guards_send_nothing(
    sandbox: SandboxServer, payments: object, kwargs: dict[str, object], error: type[Exception]
) -> None:
    async with sandbox.client() as clopos:
        with pytest.raises(error):
            await clopos.receipts.close(5, payments, **kwargs)  # type: ignore[arg-type]
    assert sandbox.log == []


async def test_mapping_payments_are_accepted(sandbox: SandboxServer) -> None:
    receipt_id, total = open_receipt(sandbox)
    async with sandbox.client() as clopos:
        done = await clopos.receipts.close(
            receipt_id, [{"id": 1, "name": "Cash", "amount": total}], expected_total=total
        )
    assert done.payment_methods[0].amount == total

"""A 200 whose body is not JSON is retried like a 5xx on safe requests (issue 9 item 9).

Such a body is almost always a response a proxy cut short: one of them must not fail
a whole sweep. A well-formed ``success: false`` stays an error, and a close (unsafe)
is never re-sent because of one.
"""

from __future__ import annotations

import pytest

from clopos_async import APIError, DecodeError, PaymentMethod, RetryPolicy
from clopos_async._errors import BodyNotJSONError
from clopos_async._retry import Safety, is_retryable
from clopos_async.testing import SandboxServer

FAST = RetryPolicy(max_attempts=3, base=0.01, cap=0.02)


async def test_a_truncated_get_is_retried(sandbox: SandboxServer) -> None:
    sandbox.fault("/receipts/5", method="GET", attempts=[1], malformed=True)
    async with sandbox.client(retry=FAST) as clopos:
        assert (await clopos.receipts.get(5)).id == 5
        assert clopos.stats.retries == 1
    assert len(sandbox.requests("GET", "/receipts/5")) == 2


async def test_one_truncated_page_does_not_fail_a_sweep(sandbox: SandboxServer) -> None:
    fault = sandbox.fault("/receipts", method="GET", attempts=[3], malformed=True)
    async with sandbox.client(retry=FAST) as clopos:
        ids = [r.id async for r in clopos.receipts.list(limit=50)]
    assert fault.hits == 1
    assert sorted(ids) == sandbox.receipt_ids()
    assert len(ids) == len(set(ids))


async def test_success_false_is_not_retried(sandbox: SandboxServer) -> None:
    sandbox.fault("/receipts/5", success_false=True, error="invalid_parameter")
    async with sandbox.client(retry=FAST) as clopos:
        with pytest.raises(APIError):
            await clopos.receipts.get(5)
    assert len(sandbox.requests("GET", "/receipts/5")) == 1


async def test_a_truncated_close_answer_is_not_re_sent(sandbox: SandboxServer) -> None:
    receipt_id = sandbox.receipt_ids(status=1)[0]
    sandbox.fault(f"/receipts/{receipt_id}/close", method="POST", malformed=True)
    total = sandbox.receipt(receipt_id)["total"]
    async with sandbox.client(retry=FAST) as clopos:
        payments = [PaymentMethod(id=1, name="Cash", amount=total)]
        closed = await clopos.receipts.close(receipt_id, payments)  # settled by reconciling
    assert closed.id == receipt_id
    assert len(sandbox.requests("POST", f"/receipts/{receipt_id}/close")) == 1
    assert len(sandbox.closes) == 1


def test_only_safe_requests_retry_a_non_json_body() -> None:
    exc = BodyNotJSONError("body is not JSON: '{\"succ'")
    assert is_retryable(exc, Safety.SAFE)
    assert not is_retryable(exc, Safety.UNSAFE)
    assert not is_retryable(DecodeError("missing", path="total"), Safety.SAFE)

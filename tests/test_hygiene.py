"""Nothing runs on after close, and every attempt is the SDK's own (issue 9 item 10).

- ``close()`` cancels a token mint in flight: no "retrying ... POST /auth" after it,
  no task left pending, no further ``/auth`` request.
- aiohttp's silent re-send of a request on a reset pooled connection is refused, so
  the SDK's retry makes that attempt: the sandbox log and ``stats.requests`` agree.
"""

from __future__ import annotations

import asyncio
import logging

import pytest

from clopos_async import CloposError, RetryPolicy
from clopos_async.testing import SandboxServer

SLOW_RETRIES = RetryPolicy(max_attempts=50, base=0.02, cap=0.02, deadline=60.0)
FAST = RetryPolicy(max_attempts=3, base=0.01, cap=0.01)


async def _until(condition: object, limit: int = 500) -> None:
    for _ in range(limit):
        if callable(condition) and condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition never became true")


@pytest.mark.parametrize("auth_attempts", [1, 2, 3])
async def test_close_cancels_a_token_mint_in_flight(
    sandbox: SandboxServer, caplog: pytest.LogCaptureFixture, auth_attempts: int
) -> None:
    caplog.set_level(logging.DEBUG, logger="clopos_async")
    sandbox.fault("/auth", method="POST", status=503)
    clopos = sandbox.client(retry=SLOW_RETRIES)
    call = asyncio.create_task(clopos.receipts.get(1))
    await _until(lambda: len(sandbox.requests("POST", "/auth")) >= auth_attempts)
    await clopos.close()
    records_at_close = len(caplog.records)
    sent_at_close = clopos.stats.requests  # counted before each attempt is sent
    with pytest.raises(CloposError):
        await call
    await asyncio.sleep(0.1)  # several backoffs: a surviving mint would have retried
    late = [r.getMessage() for r in caplog.records[records_at_close:]]
    assert late == []
    assert clopos.stats.requests == sent_at_close
    # An attempt cancelled mid-send may or may not have reached the server; none came later.
    assert auth_attempts <= len(sandbox.requests("POST", "/auth")) <= sent_at_close
    assert asyncio.all_tasks() == {asyncio.current_task()}
    assert sandbox.requests("GET") == []


async def test_a_call_after_close_does_not_start_a_mint(sandbox: SandboxServer) -> None:
    clopos = sandbox.client(retry=FAST)
    await clopos.close()
    with pytest.raises((CloposError, RuntimeError)):
        await clopos.receipts.get(1)
    assert sandbox.log == []


@pytest.mark.parametrize("resets", [1, 2])
async def test_a_reset_pooled_connection_is_retried_by_the_sdk_not_aiohttp(
    sandbox: SandboxServer, resets: int
) -> None:
    async with sandbox.client(retry=FAST) as clopos:
        await clopos.receipts.get(1)  # leaves a pooled keep-alive connection
        # The next request goes out on that pooled connection, which the sandbox resets.
        sandbox.fault("/receipts/2", method="GET", attempts=range(1, resets + 1), reset="before")
        assert (await clopos.receipts.get(2)).id == 2
        assert clopos.stats.retries == resets
        requests = clopos.stats.requests
    assert len(sandbox.requests("GET", "/receipts/2")) == resets + 1
    assert len(sandbox.log) == requests  # every attempt the server saw, the SDK counted

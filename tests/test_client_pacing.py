"""Pacing and deadlines end to end: the server's RateLimit-* view, holds, queueing, short ends.

Time-dependent tests share one injected clock between the client and the sandbox's
rate-limit windows, so minutes of pacing run instantly and the simulated seconds
are exact. Counts come from the sandbox's log.
"""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal

import pytest

from clopos_async import (
    CloposClient,
    PaymentMethod,
    RateLimit,
    RateLimitError,
    RetryPolicy,
    ServerError,
)
from clopos_async.testing import RateTier, SandboxServer
from tests.fakes import FakeClock

FAST = RetryPolicy(max_attempts=5, base=0.01, cap=0.05, deadline=30.0)


def paced(sb: SandboxServer, clock: FakeClock, **kwargs: object) -> CloposClient:
    kwargs.setdefault("retry", FAST)
    kwargs.setdefault("rate_limit", RateLimit(requests=1000, window=60.0))
    return sb.client(clock=clock, **kwargs)


async def test_a_tighter_server_window_paces_by_its_reset_not_ours() -> None:
    clock = FakeClock()
    tier = RateTier(5, 1.0)  # the server: 5 per second; the client: 1000 per minute
    async with SandboxServer(receipts=20, tenant_limit=tier, clock=clock.monotonic) as sb:
        start = clock.now
        async with paced(sb, clock) as clopos:
            for receipt_id in range(1, 13):
                await clopos.receipts.get(receipt_id)
        elapsed = clock.now - start
        calls = sb.requests("GET", "/receipts/*")
    assert len(calls) == 12
    assert [c for c in calls if c.status == 429] == []
    assert elapsed == pytest.approx(2.0)  # two 1 s resets, not two 60 s windows


async def test_one_response_with_limit_1_does_not_shrink_the_budget_for_good() -> None:
    clock = FakeClock()
    async with SandboxServer(receipts=20, tenant_limit=RateTier(300, 60.0)) as sb:
        shrunk = {"RateLimit-Limit": "1", "RateLimit-Remaining": "0", "RateLimit-Reset": "1"}
        sb.fault("/receipts/1", attempts=[1], headers=shrunk)
        start = clock.now
        async with paced(sb, clock) as clopos:
            for receipt_id in range(1, 11):
                await clopos.receipts.get(receipt_id)
        elapsed = clock.now - start
        assert len(sb.requests("GET", "/receipts/*")) == 10
    assert elapsed == pytest.approx(1.0)  # one 1 s hold, then the server's 300/min again


async def test_an_epoch_reset_is_capped_logged_once_and_bounded_by_the_deadline(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="clopos_async")
    clock = FakeClock()
    epoch = {"RateLimit-Remaining": "0", "RateLimit-Reset": "1700000000"}
    async with SandboxServer(receipts=20, tenant_limit=RateTier(300, 60.0)) as sb:
        sb.fault("/receipts/1", attempts=[1], headers=epoch)
        async with paced(sb, clock) as clopos:
            await clopos.receipts.get(1)
            start = clock.now
            for receipt_id in (2, 3):
                with pytest.raises(RateLimitError) as info:
                    await clopos.with_options(deadline=5.0).receipts.get(receipt_id)
                assert info.value.retry_after == pytest.approx(60.0)  # capped at the window
            assert clock.now == start  # raised at once: a 60 s hold cannot fit in 5 s
            assert (await clopos.with_options(deadline=90.0).receipts.get(4)).id == 4
            assert clock.now - start == pytest.approx(60.0)
        assert [c.path for c in sb.requests("GET", "/receipts/*")] == ["/receipts/1", "/receipts/4"]
    warnings = [r.getMessage() for r in caplog.records if "RateLimit-Reset" in r.getMessage()]
    assert len(warnings) == 1


async def test_queueing_for_permits_is_not_charged_to_the_close_reconcile() -> None:
    closes, permits, delay, deadline = 80, 8, 0.1, 0.5  # 80 x 0.1 s / 8 = 1 s of queueing
    async with SandboxServer(receipts=closes, open_ratio=1.0) as sb:
        # The server applies each close, then the answer is lost after `delay`.
        sb.fault(
            "/receipts/*/close",
            method="POST",
            attempts=range(1, closes + 1),
            delay=delay,
            reset="after",
        )
        totals = {i: Decimal(str(sb.receipt(i)["total"])) for i in sb.receipt_ids(status=1)}
        retry = RetryPolicy(max_attempts=3, base=0.01, cap=0.02, deadline=deadline)
        async with sb.client(retry=retry, max_concurrency=permits) as clopos:
            done = await asyncio.gather(
                *(
                    clopos.receipts.close(i, [PaymentMethod(id=1, name="Cash", amount=t)])
                    for i, t in totals.items()
                ),
                return_exceptions=True,
            )
        failures = [d for d in done if isinstance(d, BaseException)]
        assert failures == []
        assert sorted(c.receipt_id for c in sb.closes) == sorted(totals)  # one change each
        assert len(sb.requests("POST", "/receipts/*/close")) == closes


class LateClock(FakeClock):
    """Every sleep wakes up at a fixed step, whatever was asked: the last one with 62 µs left."""

    def __init__(self, step: float) -> None:
        super().__init__()
        self.step = step

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += self.step
        await asyncio.sleep(0)


async def test_too_little_deadline_left_raises_the_last_real_error(sandbox: SandboxServer) -> None:
    sandbox.fault("/receipts/5", status=503)
    clock = LateClock(step=(2.0 - 6.1871e-05) / 4)  # the 4th wake-up leaves 62 µs
    retry = RetryPolicy(max_attempts=50, base=0.2, cap=0.2, deadline=2.0)
    async with sandbox.client(retry=retry, clock=clock, rate_limit=None) as clopos:
        with pytest.raises(ServerError) as info:
            await clopos.receipts.get(5)
    assert info.value.status == 503
    assert len(sandbox.requests("GET", "/receipts/5")) == 4  # no 5th attempt on 62 µs

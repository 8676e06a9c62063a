"""The sliding-window limiter, on a fake clock: exact slot counts, holds and waits."""

from __future__ import annotations

import pytest

from clopos_async._rate_info import RateLimitInfo
from clopos_async._ratelimit import AUTH, TENANT, MemoryBackend, RateLimiter
from tests.fakes import FakeClock


def make(clock: FakeClock, requests: int = 3, window: float = 10.0) -> RateLimiter:
    return RateLimiter(
        requests=requests,
        window=window,
        auth_requests=2,
        backend=MemoryBackend(clock.monotonic),
        sleep=clock.sleep,
    )


async def test_grants_up_to_the_budget_without_waiting() -> None:
    clock = FakeClock()
    limiter = make(clock)
    for _ in range(3):
        _, waited = await limiter.acquire(TENANT)
        assert waited == 0
    assert clock.sleeps == []


async def test_in_flight_slots_count_until_complete_then_age_a_window() -> None:
    clock = FakeClock()
    limiter = make(clock, requests=2, window=10.0)
    first, _ = await limiter.acquire(TENANT)
    await limiter.acquire(TENANT)
    clock.advance(4.0)
    await limiter.complete(TENANT, first, None)  # window of `first` counts from now
    _, waited = await limiter.acquire(TENANT)
    assert waited == pytest.approx(10.0)  # frees 10 s after its response, not its send


async def test_window_slides_one_slot_at_a_time() -> None:
    clock = FakeClock()
    limiter = make(clock, requests=2, window=10.0)
    for step in (0.0, 3.0):
        clock.advance(step)
        slot, _ = await limiter.acquire(TENANT)
        await limiter.complete(TENANT, slot, None)
    start = clock.now
    await limiter.acquire(TENANT)
    assert clock.now - start == pytest.approx(7.0)  # first completion at t0 ages out at t0+10


async def test_server_remaining_zero_holds_the_bucket_until_reset() -> None:
    clock = FakeClock()
    limiter = make(clock, requests=100)
    slot, _ = await limiter.acquire(TENANT)
    await limiter.complete(TENANT, slot, RateLimitInfo(limit=100, remaining=0, reset=5.0))
    _, waited = await limiter.acquire(TENANT)
    assert waited == pytest.approx(5.0)


async def test_server_limit_tighter_than_configured_lowers_the_budget() -> None:
    clock = FakeClock()
    limiter = make(clock, requests=10)
    slot, _ = await limiter.acquire(TENANT)
    await limiter.complete(TENANT, slot, RateLimitInfo(limit=2, remaining=1, reset=1.0))
    await limiter.acquire(TENANT)
    _, waited = await limiter.acquire(TENANT)
    assert waited > 0


async def test_auth_tier_is_separate_from_tenant_tier() -> None:
    clock = FakeClock()
    limiter = make(clock, requests=1)
    await limiter.acquire(TENANT)
    _, waited = await limiter.acquire(AUTH)
    assert waited == 0

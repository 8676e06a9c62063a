"""The sliding-window limiter, on a fake clock: exact slot counts, holds and waits."""

from __future__ import annotations

import pytest

from clopos_async._rate_info import RateLimitInfo
from clopos_async._ratelimit import AUTH, TENANT, MemoryBackend, RateLimiter, ServerHold
from tests.fakes import FakeClock


def make(clock: FakeClock, requests: int = 3, window: float = 10.0) -> RateLimiter:
    return RateLimiter(
        requests=requests,
        window=window,
        auth_requests=2,
        backend=MemoryBackend(clock.monotonic),
        sleep=clock.sleep,
        clock=clock.monotonic,
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


def info(remaining: int, reset: float, limit: int = 5) -> RateLimitInfo:
    return RateLimitInfo(limit=limit, remaining=remaining, reset=reset)


async def test_remaining_counts_the_requests_still_in_flight() -> None:
    clock = FakeClock()
    limiter = make(clock, requests=100)
    slots = [(await limiter.acquire(TENANT))[0] for _ in range(4)]
    # Remaining 3 with 3 others in flight: the server may not have counted them yet.
    await limiter.complete(TENANT, slots[0], info(remaining=3, reset=2.0))
    _, waited = await limiter.acquire(TENANT)
    assert waited == pytest.approx(2.0)  # nothing more until Reset
    granted = [await limiter.acquire(TENANT) for _ in range(95)]
    assert all(w == 0 for _, w in granted)  # the view expired: our own budget again


async def test_an_overtaken_response_only_narrows_the_view() -> None:
    clock = FakeClock()
    limiter = make(clock, requests=100)
    first, _ = await limiter.acquire(TENANT)
    second, _ = await limiter.acquire(TENANT)
    await limiter.complete(TENANT, second, info(remaining=3, reset=0.0))  # 3 - first = 2
    await limiter.complete(TENANT, first, info(remaining=4, reset=0.0))  # an older reading
    for _ in range(2):
        _, waited = await limiter.acquire(TENANT)
        assert waited == 0
    _, waited = await limiter.acquire(TENANT)
    assert waited == pytest.approx(1.0)  # two left, not four: then the Reset-0 view lapses


async def test_the_view_recovers_when_the_server_limit_does() -> None:
    clock = FakeClock()
    limiter = make(clock, requests=100, window=60.0)
    slot, _ = await limiter.acquire(TENANT)
    await limiter.complete(TENANT, slot, info(limit=1, remaining=0, reset=1.0))
    for _ in range(20):
        slot, _ = await limiter.acquire(TENANT)
        await limiter.complete(TENANT, slot, info(limit=300, remaining=250, reset=0.0))
    assert clock.now - 1_700_000_000.0 == pytest.approx(1.0)


async def test_a_reset_past_the_window_is_capped_at_the_window() -> None:
    clock = FakeClock()
    limiter = make(clock, requests=100, window=60.0)
    slot, _ = await limiter.acquire(TENANT)
    await limiter.complete(TENANT, slot, info(remaining=0, reset=1_700_000_000.0))
    _, waited = await limiter.acquire(TENANT)
    assert waited == pytest.approx(60.0)


async def test_a_hold_longer_than_the_caller_may_wait_raises_at_once() -> None:
    clock = FakeClock()
    limiter = make(clock, requests=100)
    slot, _ = await limiter.acquire(TENANT)
    await limiter.complete(TENANT, slot, info(remaining=0, reset=8.0))
    with pytest.raises(ServerHold) as hold:
        await limiter.acquire(TENANT, max_wait=5.0)
    assert hold.value.seconds == pytest.approx(8.0)
    assert clock.sleeps == []
    _, waited = await limiter.acquire(TENANT, max_wait=9.0)
    assert waited == pytest.approx(8.0)


async def test_a_rounded_up_reset_holds_no_longer_than_our_full_log() -> None:
    # The server rounds Reset up to whole seconds: after a burst that fills our own
    # log, the slot frees when our oldest response ages a window, not at the ceiling.
    clock = FakeClock()
    limiter = make(clock, requests=3, window=2.0)
    slots = [(await limiter.acquire(TENANT))[0] for _ in range(3)]
    for slot in slots[:2]:
        clock.advance(0.1)
        await limiter.complete(TENANT, slot, None)  # the oldest completes at t = 0.1
    clock.advance(0.4)
    spent = RateLimitInfo(limit=3, remaining=0, reset=2.0)  # ceil(0.1 + 2 - 0.6) = 2
    await limiter.complete(TENANT, slots[2], spent)
    start = clock.now
    _, waited = await limiter.acquire(TENANT)
    assert clock.now - start == pytest.approx(1.5)  # 0.1 + 2.0 - 0.6, not 2.0
    assert waited == pytest.approx(1.5)


async def test_remaining_zero_with_room_in_our_log_holds_the_servers_reset() -> None:
    # Room in our log: others spend the budget, so the server's Reset stands.
    clock = FakeClock()
    limiter = make(clock, requests=3, window=2.0)
    slot, _ = await limiter.acquire(TENANT)
    clock.advance(0.1)
    await limiter.complete(TENANT, slot, RateLimitInfo(limit=3, remaining=0, reset=2.0))
    _, waited = await limiter.acquire(TENANT)
    assert waited == pytest.approx(2.0)

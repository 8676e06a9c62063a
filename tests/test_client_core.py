"""The client core end to end against the sandbox: retries, auth, limits, errors.

Counts come from the sandbox's request log; no test asserts a wall-clock time
except lower bounds the protocol itself requires (a 429's reset).
"""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from clopos_async import (
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientValueError,
    CloposClient,
    Credentials,
    DecodeError,
    NotFoundError,
    RateLimit,
    RetryPolicy,
    ServerError,
)
from clopos_async.testing import RateTier, SandboxServer
from tests.fakes import FakeClock, SteppedClock

FAST = RetryPolicy(max_attempts=5, base=0.01, cap=0.05, deadline=30.0)


def client_for(sb: SandboxServer, **kwargs: object) -> CloposClient:
    kwargs.setdefault("retry", FAST)
    return sb.client(**kwargs)


async def test_two_503s_then_success_takes_three_requests(sandbox: SandboxServer) -> None:
    sandbox.fault("/receipts/5", method="GET", attempts=[1, 2], status=503)
    async with client_for(sandbox) as clopos:
        receipt = await clopos.receipts.get(5)
    assert receipt.id == 5
    assert len(sandbox.requests("GET", "/receipts/5")) == 3
    assert clopos.stats.retries == 2


async def test_persistent_500_makes_max_attempts_requests(sandbox: SandboxServer) -> None:
    sandbox.fault("/receipts/5", status=500)
    async with client_for(sandbox, retry=RetryPolicy(max_attempts=3, base=0.01, cap=0.02)) as c:
        with pytest.raises(ServerError) as info:
            await c.receipts.get(5)
    assert info.value.status == 500
    assert len(sandbox.requests("GET", "/receipts/5")) == 3


async def test_a_400_is_sent_exactly_once(sandbox: SandboxServer) -> None:
    sandbox.fault("/receipts/5", status=400, error="invalid_parameter")
    async with client_for(sandbox) as clopos:
        with pytest.raises(BadRequestError) as info:
            await clopos.receipts.get(5)
    assert info.value.code == "invalid_parameter"
    assert len(sandbox.requests("GET", "/receipts/5")) == 1


async def test_a_404_is_not_found_and_not_retried(sandbox: SandboxServer) -> None:
    async with client_for(sandbox) as clopos:
        with pytest.raises(NotFoundError) as info:
            await clopos.receipts.get(999_999)
    assert info.value.code == "not_found"
    assert len(sandbox.requests("GET", "/receipts/999999")) == 1


async def test_429_next_attempt_waits_for_reset(sandbox: SandboxServer) -> None:
    headers = {"RateLimit-Limit": "300", "RateLimit-Remaining": "0", "RateLimit-Reset": "1"}
    sandbox.fault("/receipts/5", attempts=[1], status=429, headers=headers)
    async with client_for(sandbox) as clopos:
        await clopos.receipts.get(5)
    first, second = sandbox.requests("GET", "/receipts/5")
    assert first.status == 429
    assert second.started - first.started >= 1.0
    assert clopos.stats.rate_limited == 1


async def test_connection_reset_on_get_is_retried(sandbox: SandboxServer) -> None:
    sandbox.fault("/receipts/5", attempts=[1], reset="before")
    async with client_for(sandbox) as clopos:
        assert (await clopos.receipts.get(5)).id == 5
    assert len(sandbox.requests("GET", "/receipts/5")) == 2


async def test_malformed_body_is_a_decode_error(sandbox: SandboxServer) -> None:
    # Issue 9 item 9 changed the count: a non-JSON 200 of a GET is retried like a 5xx.
    sandbox.fault("/receipts/5", malformed=True)
    async with client_for(sandbox) as clopos:
        with pytest.raises(DecodeError):
            await clopos.receipts.get(5)
    assert len(sandbox.requests("GET", "/receipts/5")) == FAST.max_attempts


async def test_200_with_success_false_is_an_api_error(sandbox: SandboxServer) -> None:
    sandbox.fault("/receipts/5", success_false=True, error="invalid_parameter")
    async with client_for(sandbox) as clopos:
        with pytest.raises(APIError) as info:
            await clopos.receipts.get(5)
    assert isinstance(info.value, BadRequestError)
    assert info.value.status == 200


async def test_delay_past_timeout_is_a_timeout_error(sandbox: SandboxServer) -> None:
    sandbox.fault("/receipts/5", delay=2.0)
    retry = RetryPolicy(max_attempts=2, base=0.01, cap=0.01)
    async with client_for(sandbox, timeout=0.2, retry=retry) as clopos:
        with pytest.raises(APITimeoutError):
            await clopos.receipts.get(5)
    assert len(sandbox.requests("GET", "/receipts/5")) == 2


async def test_deadline_bounds_the_whole_call(sandbox: SandboxServer) -> None:
    sandbox.fault("/receipts/5", status=503)
    retry = RetryPolicy(max_attempts=50, base=0.2, cap=0.2, deadline=2.0)
    clock = FakeClock()  # time moves only by the backoff sleeps: the deadline is exact
    async with client_for(sandbox, retry=retry, clock=clock) as clopos:
        start = clock.now
        with pytest.raises(ServerError):  # the real 503, never a made-up timeout
            await clopos.receipts.get(5)
    assert 1 < len(sandbox.requests("GET", "/receipts/5")) < 50
    assert clock.now - start <= 2.0


async def test_expired_token_mid_stream_reauths_once_and_replays(
    sandbox: SandboxServer,
) -> None:
    async with client_for(sandbox) as clopos:
        await clopos.receipts.get(1)
        sandbox.fault("/receipts/2", attempts=[1], expire_token=True)
        assert (await clopos.receipts.get(2)).id == 2
        await clopos.receipts.get(3)
    assert len(sandbox.requests("POST", "/auth")) == 2
    assert [r.status for r in sandbox.requests("GET", "/receipts/2")] == [401, 200]
    assert clopos.stats.token_refreshes == 2


async def test_fifty_concurrent_first_requests_cause_one_auth(sandbox: SandboxServer) -> None:
    async with client_for(sandbox, max_concurrency=50) as clopos:
        await asyncio.gather(*(clopos.receipts.get(i) for i in range(1, 51)))
    assert len(sandbox.requests("POST", "/auth")) == 1


async def test_static_token_401_is_authentication_error(sandbox: SandboxServer) -> None:
    async with CloposClient(token="not-a-jwt", base_url=sandbox.base_url, retry=FAST) as c:
        with pytest.raises(AuthenticationError):
            await c.receipts.get(1)
    assert len(sandbox.requests("GET", "/receipts/1")) == 1
    assert sandbox.requests("POST", "/auth") == []


async def test_wrong_credentials_fail_once_at_auth(sandbox: SandboxServer) -> None:
    good = sandbox.credentials
    bad = Credentials(
        client_id=good.client_id,
        client_secret="wrong-secret",
        brand=good.brand,
        integrator_id=good.integrator_id,
    )
    async with CloposClient(credentials=bad, base_url=sandbox.base_url, retry=FAST) as c:
        with pytest.raises(AuthenticationError):
            await c.receipts.get(1)
    assert len(sandbox.requests("POST", "/auth")) == 1
    assert sandbox.requests("GET", "/receipts/*") == []


async def test_pacing_uses_the_budget_with_zero_429s() -> None:
    # One simulated clock for the client's pacing and the sandbox's windows (and its log):
    # the counts per window are the pacing's, not the machine's load.
    clock = SteppedClock()
    budget = RateTier(40, 1.0)
    async with SandboxServer(receipts=100, tenant_limit=budget, clock=clock.monotonic) as sb:
        limit = RateLimit(requests=budget.requests, window=budget.window)
        async with client_for(sb, rate_limit=limit, max_concurrency=100, clock=clock) as clopos:
            # A real-time bound: if a worker ever waited on anything but the clock, the
            # stepped clock would stand still, and this fails instead of hanging CI.
            gets = clock.gather(*(clopos.receipts.get(i) for i in range(1, 101)))
            await asyncio.wait_for(gets, timeout=60)
        calls = sb.requests("GET", "/receipts/*")
    assert len(calls) == 100
    assert [c for c in calls if c.status == 429] == []
    start = calls[0].started
    per_window = [
        len([c for c in calls if start + k <= c.started < start + k + 1]) for k in range(4)
    ]
    # The whole budget in each full window (the goal is >= 90 %), the rest in the third.
    assert per_window == [40, 40, 20, 0]


async def test_in_flight_never_exceeds_max_concurrency(sandbox: SandboxServer) -> None:
    sandbox.latency = 0.02
    async with client_for(sandbox, max_concurrency=4) as clopos:
        await asyncio.gather(*(clopos.receipts.get(i) for i in range(1, 41)))
    assert sandbox.max_in_flight == 4


async def test_borrowed_session_is_not_closed(sandbox: SandboxServer) -> None:
    async with aiohttp.ClientSession() as session:
        async with client_for(sandbox, session=session) as clopos:
            await clopos.receipts.get(1)
        assert not session.closed
        assert clopos.closed


async def test_use_after_close_raises_runtime_error(sandbox: SandboxServer) -> None:
    clopos = client_for(sandbox)
    await clopos.receipts.get(1)
    await clopos.close()
    with pytest.raises(RuntimeError):
        await clopos.receipts.get(1)


def test_exactly_one_of_credentials_or_token() -> None:
    with pytest.raises(ClientValueError):
        CloposClient()
    with pytest.raises(ClientValueError):
        CloposClient(
            token="t",
            credentials=Credentials(client_id="a", client_secret="b", brand="c", integrator_id="d"),
        )


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"timeout": 0}, "timeout"),
        ({"timeout": "5"}, "timeout"),
        ({"max_concurrency": 0}, "max_concurrency"),
        ({"venue_id": -1}, "venue_id"),
        ({"base_url": "ftp://x"}, "base_url"),
    ],
)
def test_bad_constructor_arguments_name_themselves(kwargs: dict[str, object], name: str) -> None:
    with pytest.raises(ClientValueError, match=name):
        CloposClient(token="t", **kwargs)  # type: ignore[arg-type]


async def test_with_options_shares_token_and_stats(sandbox: SandboxServer) -> None:
    async with client_for(sandbox) as clopos:
        quick = clopos.with_options(timeout=5.0)
        await clopos.receipts.get(1)
        await quick.receipts.get(2)
        assert quick.stats is clopos.stats
    assert len(sandbox.requests("POST", "/auth")) == 1


async def test_venue_id_is_sent_as_x_venue(sandbox: SandboxServer) -> None:
    async with client_for(sandbox, venue_id=7) as clopos:
        await clopos.receipts.get(1)
    assert sandbox.requests("GET", "/receipts/1")[0].headers.get("x-venue") == "7"


async def test_stats_keep_the_latest_rate_limit_headroom() -> None:
    async with SandboxServer(receipts=10, tenant_limit=RateTier(50, 60.0)) as sb:
        clopos = client_for(sb)
        async with clopos:
            assert clopos.stats.rate_limit is None
            for receipt_id in (1, 2, 3):
                await clopos.receipts.get(receipt_id)
            headroom = clopos.stats.rate_limit
    assert headroom is not None
    assert (headroom.limit, headroom.remaining) == (50, 47)


async def test_failed_responses_are_released_before_the_next_attempt(
    sandbox: SandboxServer,
) -> None:
    # One pooled connection: an unreleased 503 would starve the retry until it timed out.
    sandbox.fault("/receipts/5", attempts=[1, 2], status=503)
    connector = aiohttp.TCPConnector(limit=1)
    async with aiohttp.ClientSession(connector=connector) as session:
        clopos = client_for(sandbox, session=session, timeout=2.0)
        async with clopos:
            assert (await clopos.receipts.get(5)).id == 5
    assert [r.status for r in sandbox.requests("GET", "/receipts/5")] == [503, 503, 200]

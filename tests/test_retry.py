"""The retry policy: which failures retry for safe and unsafe calls, backoff, deadline."""

from __future__ import annotations

import random

import pytest

from clopos_async._config import RetryPolicy
from clopos_async._errors import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    GatewayTimeoutError,
    NotFoundError,
    RateLimitError,
    ServerError,
)
from clopos_async._retry import Deadline, RetryRunner, Safety, backoff, is_retryable
from tests.fakes import FakeClock

SAFE, UNSAFE = Safety.SAFE, Safety.UNSAFE


def api(cls: type, status: int, **extra: object) -> BaseException:
    return cls(status=status, code=None, message=None, method="GET", url="/x", **extra)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("exc", "safe", "unsafe"),
    [
        (api(RateLimitError, 429), True, True),
        (api(ServerError, 500), True, False),
        (api(ServerError, 502), True, False),
        (api(ServerError, 503), True, False),
        (api(GatewayTimeoutError, 504), True, False),
        (api(ServerError, 501), False, False),
        (api(BadRequestError, 400), False, False),
        (api(NotFoundError, 404), False, False),
        (APITimeoutError("t"), True, False),
        (APITimeoutError("connect", request_sent=False), True, True),
        (APIConnectionError("refused", request_sent=False), True, True),
        (APIConnectionError("reset", request_sent=True), True, False),
        (ValueError("x"), False, False),
    ],
)
def test_which_failures_retry(exc: BaseException, safe: bool, unsafe: bool) -> None:
    assert is_retryable(exc, SAFE) is safe
    assert is_retryable(exc, UNSAFE) is unsafe


def test_full_jitter_stays_under_the_capped_ceiling() -> None:
    policy = RetryPolicy(base=0.5, cap=8.0)
    rng = random.Random(1)
    for attempt in range(1, 10):
        ceiling = min(8.0, 0.5 * 2 ** (attempt - 1))
        waits = [backoff(policy, attempt, rng) for _ in range(200)]
        assert all(0 <= w <= ceiling for w in waits)
        assert max(waits) > ceiling / 2  # jitter spreads over the whole range


class Flaky:
    def __init__(self, failures: list[BaseException]) -> None:
        self.failures = failures
        self.calls = 0

    async def __call__(self, limit: Deadline) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "ok"


async def test_retries_until_success_and_reports_each_retry() -> None:
    clock = FakeClock()
    seen: list[tuple[str, int]] = []
    runner = RetryRunner(
        RetryPolicy(),
        clock=clock.monotonic,
        sleep=clock.sleep,
        on_retry=lambda exc, n, wait: seen.append((type(exc).__name__, n)),
    )
    flaky = Flaky([api(ServerError, 503), api(ServerError, 503)])
    assert await runner.run(flaky, SAFE) == "ok"
    assert flaky.calls == 3
    assert seen == [("ServerError", 1), ("ServerError", 2)]


async def test_gives_up_after_max_attempts_with_the_typed_error() -> None:
    clock = FakeClock()
    runner = RetryRunner(RetryPolicy(max_attempts=4), clock=clock.monotonic, sleep=clock.sleep)
    flaky = Flaky([api(ServerError, 500) for _ in range(10)])
    with pytest.raises(ServerError):
        await runner.run(flaky, SAFE)
    assert flaky.calls == 4


async def test_429_waits_at_least_what_the_server_asked() -> None:
    clock = FakeClock()
    runner = RetryRunner(RetryPolicy(), clock=clock.monotonic, sleep=clock.sleep)
    flaky = Flaky([api(RateLimitError, 429, retry_after=7.0)])
    await runner.run(flaky, SAFE)
    assert clock.sleeps[0] >= 7.0


async def test_429_past_the_deadline_raises_now() -> None:
    clock = FakeClock()
    runner = RetryRunner(RetryPolicy(deadline=5.0), clock=clock.monotonic, sleep=clock.sleep)
    flaky = Flaky([api(RateLimitError, 429, retry_after=30.0)])
    with pytest.raises(RateLimitError) as info:
        await runner.run(flaky, SAFE)
    assert info.value.retry_after == 30.0
    assert flaky.calls == 1
    assert clock.sleeps == []


async def test_unsafe_call_is_not_retried_on_ambiguous_failure() -> None:
    clock = FakeClock()
    runner = RetryRunner(RetryPolicy(), clock=clock.monotonic, sleep=clock.sleep)
    flaky = Flaky([APIConnectionError("reset", request_sent=True)])
    with pytest.raises(APIConnectionError):
        await runner.run(flaky, UNSAFE)
    assert flaky.calls == 1


async def test_a_sleep_past_the_deadline_surfaces_the_real_error() -> None:
    clock = FakeClock()

    async def oversleep(seconds: float) -> None:
        clock.advance(seconds + 10.0)  # a loaded machine wakes up late

    runner = RetryRunner(
        RetryPolicy(max_attempts=5, deadline=5.0), clock=clock.monotonic, sleep=oversleep
    )
    flaky = Flaky([api(ServerError, 503) for _ in range(5)])
    with pytest.raises(ServerError):
        await runner.run(flaky, SAFE)
    assert flaky.calls == 1

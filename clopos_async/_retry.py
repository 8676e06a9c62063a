"""The retry policy on tenacity: which failures retry, and how long to wait (DESIGN §2).

Safe requests (GET, PATCH, ``POST /auth``) retry connection errors, timeouts,
429 and 500/502/503/504. An unsafe request (``POST /receipts/{id}/close``) is
retried only when it surely never reached the server: the connection could not
be made, or a 429 refused it; anything ambiguous is left to the caller's
reconciliation. Other 4xx never retry, because the API's flood guard counts
failures (API §7 tier 2). Waits are full-jitter exponential backoff, stretched
to what the server asked for on a 429, and never past the call's deadline.
"""

from __future__ import annotations

import asyncio
import enum
import random
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import attrs
import tenacity

from clopos_async._config import RetryPolicy
from clopos_async._errors import (
    APIConnectionError,
    APITimeoutError,
    BodyNotJSONError,
    RateLimitError,
    ServerError,
)

T = TypeVar("T")

#: 5xx statuses worth another attempt (API §6.5).
RETRYABLE_STATUSES = frozenset({500, 502, 503, 504})


class Safety(enum.Enum):
    """Whether a request may be repeated without changing the outcome."""

    SAFE = "safe"
    UNSAFE = "unsafe"


def is_retryable(exc: BaseException, safety: Safety) -> bool:
    """True when ``exc`` is worth another attempt for a request of this ``safety``."""
    if isinstance(exc, RateLimitError):
        return True  # a 429 is refused before any work is done (API §7)
    if isinstance(exc, (APIConnectionError, APITimeoutError)):
        return safety is Safety.SAFE or not exc.request_sent
    if isinstance(exc, ServerError):
        return safety is Safety.SAFE and exc.status in RETRYABLE_STATUSES
    if isinstance(exc, BodyNotJSONError):
        # A 2xx cut short by a proxy: like a 5xx, another try of a safe request is harmless.
        return safety is Safety.SAFE
    return False


def backoff(policy: RetryPolicy, attempt: int, rng: random.Random) -> float:
    """Full jitter: a uniform wait up to the exponential ceiling for ``attempt`` (1-based)."""
    ceiling = min(policy.cap, policy.base * 2 ** (attempt - 1))
    return rng.uniform(0.0, ceiling)


def server_wait(exc: BaseException | None) -> float:
    """What the server asked us to wait (``RateLimit-Reset``/``Retry-After`` on a 429)."""
    if isinstance(exc, RateLimitError) and exc.retry_after is not None:
        return exc.retry_after
    return 0.0


#: Below this much deadline left, an attempt is not started: it could only time out,
#: and the caller would get a timeout the SDK made up instead of the real failure.
MIN_ATTEMPT_SECONDS = 0.05


class DeadlineSpent(APITimeoutError):
    """Too little of the deadline is left to start an attempt; nothing was sent."""


@attrs.define(slots=True)
class Deadline:
    """When one call must be over. Queueing for the client's own pacing pushes it back.

    One Deadline can be shared by several requests of one operation (a close's POSTs
    and reconciling GETs), so that queueing in any of them pushes back the whole.
    """

    ends_at: float
    clock: Callable[[], float]

    def left(self) -> float:
        return self.ends_at - self.clock()

    def extend(self, seconds: float) -> None:
        self.ends_at += seconds


class RetryRunner:
    """Runs one call under the policy with tenacity, and reports each retry."""

    def __init__(
        self,
        policy: RetryPolicy,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
        on_retry: Callable[[BaseException, int, float], None] | None = None,
    ) -> None:
        self.policy = policy
        self._clock = clock
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._on_retry = on_retry

    async def run(
        self,
        attempt: Callable[[Deadline], Awaitable[T]],
        safety: Safety,
        deadline: float | None = None,
        *,
        limit: Deadline | None = None,
    ) -> T:
        """Call ``attempt(deadline)`` until it succeeds, or raise its last, typed error.

        ``limit``, when given, is a Deadline shared with other calls and wins over
        ``deadline`` (seconds from now, else the policy's).

        The first attempt runs directly: building tenacity's machinery costs more
        than a loopback request (benchmarks/bench_overhead.py), and most calls
        succeed at once. A retryable failure hands over to tenacity, which replays
        that failure as its own first attempt, so waits, stops, reports and attempt
        numbers are exactly as if tenacity had run it.
        """
        if limit is None:
            budget = self.policy.deadline if deadline is None else deadline
            limit = Deadline(ends_at=self._clock() + budget, clock=self._clock)
        try:
            return await attempt(limit)
        except Exception as exc:
            if self.policy.max_attempts <= 1 or not is_retryable(exc, safety):
                raise
            first_failure = exc
        return await self._retry(attempt, safety, limit, first_failure)

    async def _retry(
        self,
        attempt: Callable[[Deadline], Awaitable[T]],
        safety: Safety,
        limit: Deadline,
        first_failure: Exception,
    ) -> T:
        retrying = tenacity.AsyncRetrying(
            sleep=self._sleep,
            stop=self._stop(limit),
            wait=self._wait,
            retry=tenacity.retry_if_exception(lambda exc: is_retryable(exc, safety)),
            before_sleep=self._report,
            reraise=True,
        )
        last_error = first_failure
        replay_first = True

        async def one_attempt() -> T:
            nonlocal last_error, replay_first
            if replay_first:
                replay_first = False
                raise first_failure
            if limit.left() < MIN_ATTEMPT_SECONDS:
                # A sleep overran the deadline: the caller gets the real failure, not a
                # synthetic timeout (the stop condition then ends the retries).
                raise last_error
            try:
                return await attempt(limit)
            except DeadlineSpent:
                pass  # the token or a queue ate the rest of it: not a failure of its own
            except Exception as exc:
                last_error = exc
                raise
            raise last_error

        return await retrying(one_attempt)

    def _stop(self, limit: Deadline) -> Callable[[tenacity.RetryCallState], bool]:
        def stop(state: tenacity.RetryCallState) -> bool:
            if state.attempt_number >= self.policy.max_attempts:
                return True
            # Give up now rather than sleep into a deadline too short for an attempt.
            wake = self._clock() + (state.upcoming_sleep or 0.0)
            return wake > limit.ends_at - MIN_ATTEMPT_SECONDS

        return stop

    def _wait(self, state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        return max(server_wait(exc), backoff(self.policy, state.attempt_number, self._rng))

    def _report(self, state: tenacity.RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        if self._on_retry is not None and exc is not None:
            self._on_retry(exc, state.attempt_number, state.upcoming_sleep or 0.0)

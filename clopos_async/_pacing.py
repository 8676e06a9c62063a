"""The pipeline's pacing gate: one rate-limit slot per request, and the live wait counters.

``Pipeline`` takes a slot before each request and gives it back with the response's
``RateLimit-*`` headers (API §7), which correct the limiter. Waits are counted in
``ClientStats`` as they happen, for progress displays. Without a limiter
(``rate_limit=None``) every request goes at once.
"""

from __future__ import annotations

from clopos_async._clock import Clock
from clopos_async._errors import RateLimitError
from clopos_async._http import RawResponse
from clopos_async._protocol import parse_rate_limit
from clopos_async._ratelimit import TENANT, RateLimiter, ServerHold
from clopos_async._retry import Deadline
from clopos_async._stats import ClientStats


class PacingGate:
    """Slots from ``limiter`` (None: pacing off) for the requests of one client."""

    def __init__(self, limiter: RateLimiter | None, *, stats: ClientStats, clock: Clock) -> None:
        self._limiter = limiter
        self.stats = stats
        self._clock = clock

    async def take(self, bucket: str, method: str, url: str, limit: Deadline) -> str | None:
        """A slot of ``bucket`` within ``limit``, or None when pacing is off.

        Raises:
            RateLimitError: the server holds the budget past the call's deadline.
        """
        if self._limiter is None:
            return None
        self._pacing_started()
        try:
            slot, waited = await self._limiter.acquire(bucket, max_wait=max(limit.left(), 0.0))
        except ServerHold as hold:
            # The server holds the budget past this call's deadline: fail now, typed,
            # with the wait it asked for, rather than hang (API §7). Nothing was sent.
            raise RateLimitError(
                status=429,
                code="rate_limited",
                message="the server's rate-limit hold outlasts the call's deadline",
                method=method,
                url=url,
                retry_after=hold.seconds,
            ) from None
        finally:
            self._pacing_ended()
        if waited > 0:
            self.stats.rate_limit_waits += 1
            self.stats.rate_limit_wait_seconds += waited
        return slot

    def _pacing_started(self) -> None:
        # Live "waiting for the budget" for progress displays (the CLI's): who waits, since when.
        stats = self.stats
        if stats.pacing_waiters == 0:
            stats.pacing_since = self._clock.monotonic()
        stats.pacing_waiters += 1

    def _pacing_ended(self) -> None:
        stats = self.stats
        stats.pacing_waiters -= 1
        if stats.pacing_waiters == 0 and stats.pacing_since is not None:
            # Concurrent waits overlap: only the span with anyone waiting is wall time.
            stats.rate_limit_wait_wall_seconds += self._clock.monotonic() - stats.pacing_since
            stats.pacing_since = None

    async def free(self, bucket: str, slot: str | None, response: RawResponse | None) -> None:
        """Give ``slot`` back, with what ``response`` said of the budget (if it came)."""
        info = parse_rate_limit(response.headers) if response is not None else None
        if info is not None and bucket == TENANT:
            self.stats.rate_limit = info  # the headroom the server last reported
        if self._limiter is not None and slot is not None:
            await self._limiter.complete(bucket, slot, info)

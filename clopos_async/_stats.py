"""ClientStats: the live counters a client (and its views) update as they work.

Read by workers' metrics and the CLI's progress line; updated by the pipeline
(requests, 429s, token mints), the retry logger and the pacing gate (waits).
"""

from __future__ import annotations

import attrs

from clopos_async._rate_info import RateLimitInfo


@attrs.define(kw_only=True, slots=True)
class ClientStats:
    """Counters for workers' metrics, live: the client updates them as it works.

    Attributes:
        requests: HTTP requests sent, retries and ``POST /auth`` included.
        retries: attempts that were retried.
        rate_limited: 429 answers.
        token_refreshes: tokens minted at ``POST /auth``.
        rate_limit_waits: requests that had to wait for a pacing slot.
        rate_limit_wait_seconds: the seconds those requests waited, summed over requests
            (concurrent waits add up).
        rate_limit_wait_wall_seconds: wall-clock seconds during which at least one request
            waited for a pacing slot (concurrent waits count once); a wait still under way
            is not included until it ends, see ``pacing_since``.
        pacing_waiters: requests waiting for a pacing slot right now.
        pacing_since: the client clock's monotonic time since which ``pacing_waiters`` has
            been above zero, or ``None`` while nothing waits.
        rate_limit: the ``RateLimit-*`` headers of the latest authenticated response, if it
            had them.
    """

    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    token_refreshes: int = 0
    rate_limit_waits: int = 0
    rate_limit_wait_seconds: float = 0.0
    rate_limit_wait_wall_seconds: float = 0.0
    pacing_waiters: int = 0
    pacing_since: float | None = None
    rate_limit: RateLimitInfo | None = None

    def pacing_wall_seconds(self, now: float) -> float:
        """Wall-clock seconds spent waiting for pacing so far, a wait under way included.

        Args:
            now: the client clock's current monotonic time.

        Returns:
            ``rate_limit_wait_wall_seconds`` plus the current wait, if one is under way.
        """
        ongoing = 0.0 if self.pacing_since is None else max(now - self.pacing_since, 0.0)
        return self.rate_limit_wait_wall_seconds + ongoing

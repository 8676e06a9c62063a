"""Is Redis reachable? One answer per backend, with one WARNING per outage (DESIGN §7).

While Redis is down the backend paces locally and mints locally; every
``probe_interval`` seconds one operation tries Redis again, so the fleet goes
back to the shared budget within seconds of Redis returning. No redis-py
exception leaves this module's ``call``: it becomes ``Unavailable``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from redis.exceptions import RedisError

logger = logging.getLogger("clopos_async")

T = TypeVar("T")

#: What a lost, refused or timed-out Redis connection raises through redis-py.
REDIS_FAILURES = (RedisError, OSError, asyncio.TimeoutError)


class Unavailable(Exception):
    """Internal: Redis could not be used for this operation; fall back to local."""


class Health:
    """Tracks outages: the first failure logs a WARNING, the first success after it an INFO."""

    def __init__(
        self,
        *,
        probe_interval: float = 1.0,
        reset: Callable[[], Awaitable[None]] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._probe_interval = probe_interval
        self._reset = reset
        self._clock = clock
        self._down = False
        self._next_probe = 0.0
        self.outages = 0

    @property
    def down(self) -> bool:
        """True from a failure until the next operation that succeeds."""
        return self._down

    async def call(self, operation: Callable[[], Awaitable[T]]) -> T:
        """Run one Redis operation, or raise ``Unavailable`` (now, or while it is down)."""
        if self._down:
            now = self._clock()
            if now < self._next_probe:
                raise Unavailable
            self._next_probe = now + self._probe_interval  # one probe per interval
        try:
            result = await operation()
        except REDIS_FAILURES as exc:
            if self._failed(exc) and self._reset is not None:
                # Drop every pooled connection now: after the outage each would fail
                # once more and count as a new one.
                with contextlib.suppress(*REDIS_FAILURES):
                    await self._reset()
            raise Unavailable from exc
        self._succeeded()
        return result

    async def quietly(self, operation: Callable[[], Awaitable[object]]) -> None:
        """Run an operation whose failure only costs sharing (a store, a release)."""
        with contextlib.suppress(Unavailable):
            await self.call(operation)

    def _failed(self, exc: BaseException) -> bool:
        """Note a failure; True if it starts an outage."""
        self._next_probe = self._clock() + self._probe_interval
        if self._down:
            return False
        self._down = True
        self.outages += 1
        # The URL is never logged: it may carry a password.
        logger.warning(
            "Redis is unreachable (%s): pacing locally on the server's RateLimit headers "
            "until it is back",
            type(exc).__name__,
        )
        return True

    def _succeeded(self) -> None:
        if self._down:
            self._down = False
            logger.info("Redis is back: the budget and the token are shared again")

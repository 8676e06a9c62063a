"""Client-side pacing: a sliding-window limiter per rate-limit tier (API §7).

The server keeps a one-minute sliding log per tier and answers 429 past the
budget. The client keeps its own log, one bucket per tier, so a bulk job runs
at the budget without ever being told off. Two details make it exact:

* A slot is held from the moment a request is sent until its response has
  arrived, and the window is counted from the *response*. The server stamps a
  request somewhere in between, so our stamp is never earlier than its own and
  the server never sees more requests in a window than we do.
* Every response's ``RateLimit-*`` headers correct the local view: when the
  server says nothing remains, the bucket is held until its reset.

The bookkeeping sits behind ``LimiterBackend`` so that the Redis backend can
share one budget among many processes (the server keys tier 3 by
integrator and brand, not by process).
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

import attrs

from clopos_async._rate_info import RateLimitInfo

#: Bucket names: one per tier the client paces (API §7 tiers 1 and 3).
TENANT = "tenant"
AUTH = "auth"


@attrs.frozen(kw_only=True, slots=True)
class Reservation:
    """The answer to one ``reserve`` call: a slot id, or how long to wait before asking again."""

    slot: str | None
    wait: float = 0.0


class LimiterBackend(Protocol):
    """Where the sliding logs live: this process's memory, or a shared store."""

    async def reserve(self, bucket: str, limit: int, window: float) -> Reservation:
        """Take a slot in ``bucket`` now if fewer than ``limit`` are in the window."""
        ...

    async def complete(self, bucket: str, slot: str) -> None:
        """The slot's request has its response: its window starts counting now."""
        ...

    async def hold(self, bucket: str, seconds: float) -> None:
        """The server says the budget is spent: grant nothing for ``seconds``."""
        ...


class _Bucket:
    """One sliding log: requests in flight, and completion times inside the window."""

    def __init__(self) -> None:
        self.in_flight: set[str] = set()
        self.finished: collections.deque[float] = collections.deque()
        self.held_until = 0.0


class MemoryBackend:
    """The default backend: one process's sliding logs, kept in memory."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[str, _Bucket] = collections.defaultdict(_Bucket)
        self._ids = itertools.count(1)

    async def reserve(self, bucket: str, limit: int, window: float) -> Reservation:
        state = self._buckets[bucket]
        now = self._clock()
        if state.held_until > now:
            return Reservation(slot=None, wait=state.held_until - now)
        finished = state.finished
        while finished and finished[0] <= now - window:
            finished.popleft()
        if len(state.in_flight) + len(finished) < limit:
            slot = str(next(self._ids))
            state.in_flight.add(slot)
            return Reservation(slot=slot)
        # The earliest moment a slot can free: the oldest finished one leaves the
        # window, or (all in flight) one completes now and then ages a window.
        wait = finished[0] + window - now if finished else window
        return Reservation(slot=None, wait=max(wait, 0.001))

    async def complete(self, bucket: str, slot: str) -> None:
        state = self._buckets[bucket]
        if slot in state.in_flight:
            state.in_flight.discard(slot)
            state.finished.append(self._clock())

    async def hold(self, bucket: str, seconds: float) -> None:
        state = self._buckets[bucket]
        state.held_until = max(state.held_until, self._clock() + seconds)


@attrs.define(kw_only=True, slots=True)
class _Tier:
    limit: int
    window: float


class RateLimiter:
    """Waits for a slot in a tier, and learns from the server's ``RateLimit-*`` headers."""

    def __init__(
        self,
        *,
        requests: int,
        window: float,
        auth_requests: int,
        backend: LimiterBackend | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._tiers = {
            TENANT: _Tier(limit=requests, window=window),
            AUTH: _Tier(limit=auth_requests, window=window),
        }
        self._configured = requests
        self._backend: LimiterBackend = backend if backend is not None else MemoryBackend()
        self._sleep = sleep

    async def acquire(self, bucket: str) -> tuple[str, float]:
        """Wait for a slot in ``bucket``; return it and the seconds spent waiting."""
        waited = 0.0
        tier = self._tiers[bucket]
        while True:
            reservation = await self._backend.reserve(bucket, tier.limit, tier.window)
            if reservation.slot is not None:
                return reservation.slot, waited
            waited += reservation.wait
            await self._sleep(reservation.wait)

    async def complete(self, bucket: str, slot: str, info: RateLimitInfo | None) -> None:
        """Free ``slot`` now that its response arrived, and apply the server's view."""
        await self._backend.complete(bucket, slot)
        if info is not None:
            await self.observe(bucket, info)

    async def observe(self, bucket: str, info: RateLimitInfo) -> None:
        """Correct the local budget with the headers of one response (API §7)."""
        if bucket == TENANT and info.limit > 0:
            # The server's tier may be tighter than what we were configured with.
            self._tiers[TENANT].limit = min(self._configured, info.limit)
        if info.remaining <= 0 and info.reset > 0:
            await self._backend.hold(bucket, info.reset)

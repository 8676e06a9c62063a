"""Client-side pacing: a sliding-window limiter per rate-limit tier (API §7).

The server keeps a one-minute sliding log per tier and answers 429 past the
budget. The client keeps its own log, one bucket per tier, so a bulk job runs
at the budget without ever being told off. Two details make it exact:

* A slot is held from the moment a request is sent until its response has
  arrived, and the window is counted from the *response*. The server stamps a
  request somewhere in between, so our stamp is never earlier than its own and
  the server never sees more requests in a window than we do.
* Every response's ``RateLimit-*`` headers are the server's view, and the
  authority: ``Remaining`` bounds what may still go out until ``Reset``, never
  longer than the server says (or than the window, if a header is absurd).

The bookkeeping sits behind ``LimiterBackend`` so that the Redis backend can
share one budget among many processes (the server keys tier 3 by
integrator and brand, not by process).
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

import attrs

from clopos_async._rate_info import RateLimitInfo

logger = logging.getLogger("clopos_async")

#: Bucket names: one per tier the client paces (API §7 tiers 1 and 3).
TENANT = "tenant"
AUTH = "auth"


@attrs.frozen(kw_only=True, slots=True)
class Reservation:
    """The answer to one ``reserve`` call: a slot id, or how long to wait before asking again.

    Attributes:
        slot: the granted slot's id, or None when none was free.
        wait: seconds to wait before asking again (0 when granted).
    """

    slot: str | None
    wait: float = 0.0


class LimiterBackend(Protocol):
    """Where the sliding logs live: this process's memory, or a shared store."""

    async def reserve(self, bucket: str, limit: int, window: float) -> Reservation:
        """Take a slot in ``bucket`` now if fewer than ``limit`` are in the window.

        Args:
            bucket: the budget's name (``"tenant"`` or ``"auth"``).
            limit: slots the window holds.
            window: the window, in seconds.

        Returns:
            A ``Reservation``: the slot id, or no slot and how long to wait.
        """
        ...

    async def complete(self, bucket: str, slot: str) -> None:
        """The slot's request has its response: its window starts counting now.

        Args:
            bucket: the budget's name.
            slot: the slot ``reserve`` granted.
        """
        ...

    async def hold(self, bucket: str, seconds: float) -> None:
        """The server says the budget is spent: grant nothing for ``seconds``.

        Args:
            bucket: the budget's name.
            seconds: how long to grant nothing.
        """
        ...

    async def free_in(self, bucket: str, limit: int, window: float) -> float:
        """Seconds until the log (holds aside) has a slot for ``limit``; 0 if it has one now.

        Args:
            bucket: the budget's name.
            limit: slots the window holds.
            window: the window, in seconds.

        Returns:
            Seconds until a slot frees (holds aside); 0.0 if one is free now.
        """
        ...


class _Bucket:
    """One sliding log: requests in flight, and completion times inside the window."""

    def __init__(self) -> None:
        self.in_flight: set[str] = set()
        self.finished: collections.deque[float] = collections.deque()
        self.held_until = 0.0


class MemoryBackend:
    """The default backend: one process's sliding logs, kept in memory.

    Args:
        clock: the monotonic clock the logs are kept on (the client passes its own).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[str, _Bucket] = collections.defaultdict(_Bucket)
        self._ids = itertools.count(1)

    async def reserve(self, bucket: str, limit: int, window: float) -> Reservation:
        """Take a slot in ``bucket`` now if fewer than ``limit`` are in the window.

        Args:
            bucket: the budget's name (``"tenant"`` or ``"auth"``).
            limit: slots the window holds.
            window: the window, in seconds.

        Returns:
            A ``Reservation``: the slot id, or no slot and how long to wait.
        """
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
        """The slot's request has its response: its window starts counting now.

        Args:
            bucket: the budget's name.
            slot: the slot ``reserve`` granted.
        """
        state = self._buckets[bucket]
        if slot in state.in_flight:
            state.in_flight.discard(slot)
            state.finished.append(self._clock())

    async def hold(self, bucket: str, seconds: float) -> None:
        """Grant nothing in ``bucket`` for ``seconds`` (the server said the budget is spent).

        Args:
            bucket: the budget's name.
            seconds: how long to grant nothing.
        """
        state = self._buckets[bucket]
        state.held_until = max(state.held_until, self._clock() + seconds)

    async def free_in(self, bucket: str, limit: int, window: float) -> float:
        """Seconds until ``bucket`` has a slot for ``limit`` (holds aside); 0 if it has one now.

        Args:
            bucket: the budget's name.
            limit: slots the window holds.
            window: the window, in seconds.

        Returns:
            Seconds until a slot frees (holds aside); 0.0 if one is free now.
        """
        state = self._buckets[bucket]
        now = self._clock()
        finished = state.finished
        while finished and finished[0] <= now - window:
            finished.popleft()
        if len(state.in_flight) + len(finished) < limit:
            return 0.0
        return max(finished[0] + window - now, 0.0) if finished else window


@attrs.define(kw_only=True, slots=True)
class _Tier:
    limit: int
    window: float


@attrs.define(kw_only=True, slots=True)
class _ServerView:
    """What the latest ``RateLimit-*`` headers allow: ``allowance`` more sends until ``until``."""

    allowance: int
    until: float
    seq: int  # grant order of the request whose response this came from


class ServerHold(Exception):
    """Internal: the server's view asks for a wait longer than the caller may wait."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the server holds the budget for {seconds:.3f}s")
        self.seconds = seconds


#: How long a view with ``Reset: 0`` (slots free now) constrains us: the header's
#: resolution is whole seconds (API §4), so it says nothing beyond the next second.
FREE_VIEW_SECONDS = 1.0
#: How often a caller held only by in-flight requests looks again: their responses
#: bring a newer view, long before the old one expires.
IN_FLIGHT_POLL = 0.01


class RateLimiter:
    """Waits for a slot in a tier; the server's ``RateLimit-*`` headers are the authority.

    Two limits apply to every request: the configured sliding log (kept by the
    backend, shared between processes) and the server's latest view (kept here):
    after ``Remaining: r`` with ``n`` other requests in flight, at most ``r - n``
    more go out until ``Reset`` passes, and then the view expires (API §7). The
    view never shrinks the configured budget for good, and a hold never lasts
    longer than the window.
    """

    def __init__(
        self,
        *,
        requests: int,
        window: float,
        auth_requests: int,
        backend: LimiterBackend | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._tiers = {
            TENANT: _Tier(limit=requests, window=window),
            AUTH: _Tier(limit=auth_requests, window=window),
        }
        self._backend: LimiterBackend = backend if backend is not None else MemoryBackend(clock)
        self._sleep = sleep
        self._clock = clock
        self._seq = itertools.count(1)
        self._in_flight: dict[str, dict[str, int]] = {TENANT: {}, AUTH: {}}
        self._views: dict[str, _ServerView] = {}
        self._warned: set[str] = set()

    async def acquire(self, bucket: str, max_wait: float = math.inf) -> tuple[str, float]:
        """Wait for a slot in ``bucket``; return it and the seconds spent waiting.

        Args:
            bucket: ``TENANT`` or ``AUTH``.
            max_wait: the longest the caller may wait on the server's view (its
                deadline); waiting on the configured budget is queueing and not bounded.

        Raises:
            ServerHold: the server's view needs a longer wait than ``max_wait``.
        """
        waited = held = 0.0
        tier = self._tiers[bucket]
        while True:
            wait = self._view_wait(bucket)
            if wait > 0:
                if held + wait > max_wait:
                    raise ServerHold(wait)
                held += wait
            else:
                reservation = await self._backend.reserve(bucket, tier.limit, tier.window)
                if reservation.slot is not None:
                    self._granted(bucket, reservation.slot)
                    return reservation.slot, waited
                wait = reservation.wait
            waited += wait
            await self._sleep(wait)

    async def complete(self, bucket: str, slot: str, info: RateLimitInfo | None) -> None:
        """Free ``slot`` now that its response arrived, and apply the server's view."""
        seq = self._in_flight[bucket].pop(slot, None)
        await self._backend.complete(bucket, slot)
        if info is not None:
            await self.observe(bucket, info, seq=seq)

    async def observe(self, bucket: str, info: RateLimitInfo, *, seq: int | None = None) -> None:
        """Take the headers of one response as the server's current view (API §7).

        ``seq`` is the grant order of the request it answered: a response that
        overtook it was counted later by the server, so an older one only narrows.
        """
        now = self._clock()
        reset = self._bounded_reset(bucket, info.reset)
        if info.remaining <= 0 and reset > 0:
            reset = await self._own_reset(bucket, reset)
        others = len(self._in_flight[bucket])  # sent, maybe not counted by the server yet
        view = _ServerView(
            allowance=max(info.remaining - others, 0),
            until=now + (reset if reset > 0 else min(FREE_VIEW_SECONDS, self._window(bucket))),
            seq=seq if seq is not None else next(self._seq),
        )
        current = self._views.get(bucket)
        if current is not None and current.until > now and view.seq < current.seq:
            view = _ServerView(
                allowance=min(current.allowance, view.allowance),
                until=max(current.until, view.until),
                seq=current.seq,
            )
        self._views[bucket] = view
        if info.remaining <= 0 and reset > 0:
            await self._backend.hold(bucket, reset)  # shared with other processes

    async def _own_reset(self, bucket: str, reset: float) -> float:
        """``Reset`` after ``Remaining: 0``, no later than our own full log frees a slot.

        The server rounds ``Reset`` up to whole seconds (API §7). When our log (this
        process's, or the fleet's in Redis) is full, our requests explain the 0, and
        the log frees a slot no earlier than the server does (we stamp at the
        response, it at arrival): holding past that wastes up to a second per window.
        A log with room means others spend the budget: the server's ``Reset`` stands.
        """
        tier = self._tiers[bucket]
        own = await self._backend.free_in(bucket, tier.limit, tier.window)
        return min(reset, own) if own > 0 else reset

    def _view_wait(self, bucket: str) -> float:
        """Seconds until the server's view admits one more send; 0 if it does now."""
        view = self._views.get(bucket)
        if view is None:
            return 0.0
        left = view.until - self._clock()
        if left <= 0:
            del self._views[bucket]  # Reset passed: the server's window moved on
            return 0.0
        if view.allowance > 0:
            return 0.0
        return min(left, IN_FLIGHT_POLL) if self._in_flight[bucket] else left

    def _granted(self, bucket: str, slot: str) -> None:
        self._in_flight[bucket][slot] = next(self._seq)
        view = self._views.get(bucket)
        if view is not None:
            view.allowance = max(view.allowance - 1, 0)

    def _window(self, bucket: str) -> float:
        return self._tiers[bucket].window

    def _bounded_reset(self, bucket: str, reset: float) -> float:
        """``Reset`` in seconds, capped at the window; a longer one is a bad header."""
        window = self._window(bucket)
        if not reset > 0:
            return 0.0
        if reset <= window:
            return reset
        if bucket not in self._warned:
            self._warned.add(bucket)  # once: a broken proxy would repeat it on every response
            logger.warning(
                "RateLimit-Reset=%g is longer than the %g s window (an epoch?): "
                "treating it as a bad header and holding %g s at most",
                reset,
                window,
                window,
            )
        return window

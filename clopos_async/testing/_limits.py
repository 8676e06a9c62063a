"""The sandbox's rate-limit tiers: sliding windows and their ``RateLimit-*`` headers.

One job: count requests per key in 1-minute-style sliding windows (API §7) and say
how much room is left, as the headers the API sends (API §4).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable

import attrs

from clopos_async._errors import ClientValueError


def _positive_int(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ClientValueError(
            f"RateTier.{attribute.name}={value!r} is not allowed: an int >= 1 is required"
        )


def _positive_float(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ClientValueError(
            f"RateTier.{attribute.name}={value!r} is not allowed: a number > 0 is required"
        )


@attrs.frozen(slots=True)
class RateTier:
    """One rate-limit tier of the sandbox: ``requests`` per sliding ``window`` (API §7).

    ``RateTier(40, 1.0)`` admits 40 requests in any 1 s; one more gets 429.

    Args:
        requests: The budget, an int >= 1.
        window: The window's length in seconds (> 0); 60 by default.

    Attributes:
        requests: The budget, an int >= 1.
        window: The window's length in seconds.

    Raises:
        ClientValueError: ``requests`` or ``window`` is not allowed.
    """

    requests: int = attrs.field(validator=_positive_int)
    window: float = attrs.field(default=60.0, validator=_positive_float)


@attrs.frozen(kw_only=True, slots=True)
class Quota:
    """What one window has left: the three ``RateLimit-*`` header values (API §4)."""

    limit: int
    remaining: int
    reset: int  # whole seconds until a slot frees (ceil); 0 while slots are free

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
        }


class SlidingWindow:
    """A log of the monotonic times of counted events, at most ``tier.requests`` per window."""

    __slots__ = ("_stamps", "tier")

    def __init__(self, tier: RateTier) -> None:
        self.tier = tier
        self._stamps: deque[float] = deque()

    def _prune(self, now: float) -> None:
        horizon = now - self.tier.window
        stamps = self._stamps
        while stamps and stamps[0] <= horizon:
            stamps.popleft()

    def full(self, now: float) -> bool:
        """True when one more event would exceed the tier."""
        self._prune(now)
        return len(self._stamps) >= self.tier.requests

    def record(self, now: float) -> None:
        self._prune(now)
        self._stamps.append(now)

    def quota(self, now: float) -> Quota:
        self._prune(now)
        remaining = max(0, self.tier.requests - len(self._stamps))
        reset = 0
        if remaining == 0:
            # The oldest event leaves the window first; that frees the next slot.
            reset = max(1, math.ceil(self._stamps[0] + self.tier.window - now))
        return Quota(limit=self.tier.requests, remaining=remaining, reset=reset)

    def clear(self) -> None:
        self._stamps.clear()


class KeyedWindows:
    """One sliding window per key (client IP, or ``integrator_id:brand``) for a tier."""

    __slots__ = ("_windows", "tier")

    def __init__(self, tier: RateTier) -> None:
        self.tier = tier
        self._windows: dict[str, SlidingWindow] = {}

    def __getitem__(self, key: str) -> SlidingWindow:
        window = self._windows.get(key)
        if window is None:
            window = self._windows[key] = SlidingWindow(self.tier)
        return window

    def clear(self) -> None:
        self._windows.clear()


def most_constrained(quotas: Iterable[Quota]) -> Quota | None:
    """The quota the headers describe (API §7): fewest left, then the longest wait."""
    return min(quotas, key=lambda q: (q.remaining, -q.reset), default=None)

"""Time as the client sees it: wall clock, monotonic clock and sleep, in one injectable object.

Token expiry is judged on the wall clock (``expires_at`` is epoch seconds,
API §3.1); pacing, deadlines and backoff on the monotonic one. Tests swap in a
fake to step through expiry and backoff without waiting.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol


class Clock(Protocol):
    """What the client needs to know about time."""

    def time(self) -> float:
        """Wall-clock seconds since the epoch."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds``."""
        ...


class SystemClock:
    """The real clocks and ``asyncio.sleep``."""

    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

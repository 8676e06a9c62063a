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
        """Wall-clock seconds since the epoch.

        Returns:
            Seconds since the Unix epoch (what token expiry is judged on).
        """
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back.

        Returns:
            Seconds from an arbitrary origin (what pacing, deadlines and backoff use).
        """
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds``.

        Args:
            seconds: how long to wait, >= 0.
        """
        ...


class SystemClock:
    """The real clocks and ``asyncio.sleep``."""

    def time(self) -> float:
        """Wall-clock seconds since the epoch (``time.time()``).

        Returns:
            Seconds since the Unix epoch.
        """
        return time.time()

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (``time.monotonic()``).

        Returns:
            Seconds from an arbitrary origin.
        """
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` (``asyncio.sleep``).

        Args:
            seconds: how long to wait, >= 0.
        """
        await asyncio.sleep(seconds)

"""Test doubles for time: a clock whose sleep advances it instantly."""

from __future__ import annotations

import asyncio


class FakeClock:
    """Wall and monotonic time that only move when someone sleeps or calls advance()."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)

"""The stepped test clock itself: a cancelled sleeper leaves the queue (tests/fakes.py)."""

from __future__ import annotations

import asyncio

import pytest

from tests.fakes import SteppedClock


async def test_a_cancelled_sleeper_no_longer_holds_the_clock_back() -> None:
    clock = SteppedClock()
    start = clock.now
    tasks: dict[str, asyncio.Task[object] | None] = {}

    async def sleeper() -> str:
        tasks["sleeper"] = asyncio.current_task()
        try:
            await clock.sleep(5.0)
        except asyncio.CancelledError:
            return "cancelled"
        return "woke"

    async def canceller() -> str:
        await clock.sleep(1.0)
        sleeper_task = tasks["sleeper"]
        assert sleeper_task is not None
        sleeper_task.cancel()
        await clock.sleep(100.0)
        return "done"

    results = await asyncio.wait_for(clock.gather(sleeper(), canceller()), timeout=10)

    assert results == ["cancelled", "done"]
    assert clock.now == pytest.approx(start + 101.0)

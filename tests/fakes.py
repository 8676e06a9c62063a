"""Test doubles for time: clocks whose sleeps advance them instantly."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


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


class SteppedClock(FakeClock):
    """Simulated time for many concurrent workers: it moves only when all of them sleep.

    ``FakeClock.sleep`` adds every sleep to the clock, so 50 workers each waiting 1 s
    would move it 50 s. Here each worker (a task started by ``gather``) sleeps until
    its own wake-up time, and time jumps to the earliest one only once every live
    worker is asleep: while any request is in flight, time stands still (a network of
    zero simulated latency). A sleep from any other task moves the clock at once.
    """

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        super().__init__(start)
        self._workers: set[asyncio.Task[Any]] = set()
        self._asleep: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    async def gather(self, *coros: Coroutine[Any, Any, T]) -> list[T]:
        """Run ``coros`` as this clock's workers and return their results in order."""
        tasks = [asyncio.ensure_future(coro) for coro in coros]
        self._workers.update(tasks)
        for task in tasks:
            task.add_done_callback(self._step)
        return list(await asyncio.gather(*tasks))

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if asyncio.current_task() not in self._workers:
            await super().sleep(seconds)
            return
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._asleep, (self.now + max(seconds, 0.0), next(self._order), woken))
        self._step()
        await woken

    def _step(self, *_: object) -> None:
        """Wake the earliest sleepers if nobody else is working."""
        if any(woken.cancelled() for _, _, woken in self._asleep):
            # A cancelled sleeper is awake (running its handler) and holds no place.
            self._asleep = [entry for entry in self._asleep if not entry[2].cancelled()]
            heapq.heapify(self._asleep)
        working = sum(1 for task in self._workers if not task.done()) - len(self._asleep)
        if working > 0 or not self._asleep:
            return
        self.now = max(self.now, self._asleep[0][0])
        while self._asleep and self._asleep[0][0] <= self.now:
            heapq.heappop(self._asleep)[2].set_result(None)

"""A bounded window of concurrent tasks whose results are taken in submission order.

Both the pager's prefetch and ``get_many`` need the same thing: up to N
requests in flight, results handed out in input order, and everything still
running cancelled when the consumer stops early.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Coroutine
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class OrderedWindow(Generic[T]):
    """Runs at most ``size`` tasks at once; ``next()`` awaits the oldest one."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._tasks: collections.deque[asyncio.Task[T]] = collections.deque()

    def __len__(self) -> int:
        return len(self._tasks)

    @property
    def full(self) -> bool:
        return len(self._tasks) >= self.size

    def submit(self, coro: Coroutine[Any, Any, T]) -> None:
        """Schedule ``coro``. The caller keeps the window from overfilling."""
        self._tasks.append(asyncio.ensure_future(coro))

    @staticmethod
    async def let_run() -> None:
        """Let newly submitted tasks send their requests before the caller goes on.

        Awaiting an already finished task does not suspend, so a consumer that
        decodes a whole round of ready pages would otherwise hold back the next
        round's requests until it is done (measured: +20 ms per round of 8 pages).
        """
        await asyncio.sleep(0)

    async def next(self) -> T:
        """The result of the oldest task (its error, if it failed)."""
        return await self._tasks.popleft()

    async def cancel_all(self) -> None:
        """Cancel what is still running and wait for it, so nothing leaks."""
        tasks, self._tasks = list(self._tasks), collections.deque()
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

"""Shared by the Redis tests: a real redis-server per module, and window counting."""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence

import pytest

from benchmarks._redis_server import RedisServer
from clopos_async.testing import LoggedRequest


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    """A redis-server on a free loopback port, persistence off; stopped by its pid."""
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def admitted_per_window(log: Sequence[LoggedRequest], window: float) -> list[int]:
    """Admitted receipt requests in each whole window from the first admitted one."""
    times = sorted(e.started for e in log if e.path.startswith("/receipts") and e.status == 200)
    if not times:
        return []
    whole = int((times[-1] - times[0]) // window)
    edges = [times[0] + k * window for k in range(whole + 1)]
    return [
        bisect.bisect_left(times, edges[k + 1]) - bisect.bisect_left(times, edges[k])
        for k in range(whole)
    ]


def count(
    log: Sequence[LoggedRequest], *, path: str | None = None, status: int | None = None
) -> int:
    return sum(
        1
        for e in log
        if (path is None or e.path == path) and (status is None or e.status == status)
    )

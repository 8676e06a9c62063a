"""Shared by the Redis tests: a real redis-server per module, and window counting."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from benchmarks._fleet import admitted_per_window, count
from benchmarks._redis_server import RedisServer

__all__ = ["admitted_per_window", "count", "redis_server"]


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    """A redis-server on a free loopback port, persistence off; stopped by its pid."""
    server = RedisServer()
    server.start()
    yield server
    server.stop()

"""Shared fixtures: a running sandbox per test, and a client pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from clopos_async.testing import SandboxServer


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(receipts=300, seed=7) as server:
        yield server

"""Shared fixtures: a running sandbox per test, a raw HTTP session and a token header for it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from clopos_async.testing import SandboxServer
from tests.sandbox_http import mint_token


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(receipts=300, seed=7) as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def headers(http: aiohttp.ClientSession, sandbox: SandboxServer) -> dict[str, str]:
    """The ``x-token`` header for ``sandbox`` (a test module's own ``sandbox`` if it has one)."""
    return {"x-token": await mint_token(http, sandbox)}

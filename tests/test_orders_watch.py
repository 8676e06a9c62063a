"""orders.watch against the sandbox: accepted and cancelled orders, each change once."""

from __future__ import annotations

from datetime import datetime

import pytest

from clopos_async import ClientValueError
from clopos_async.testing import SandboxServer
from tests.test_receipts_watch import ScriptedClock


async def test_orders_watch_yields_each_change_once_and_resumes() -> None:
    clock = ScriptedClock()
    async with SandboxServer(receipts=30, seed=4) as sandbox, sandbox.client(clock=clock) as c:
        pending = sandbox.orders.ids(status="PENDING")
        watcher = c.orders.watch(interval=1)
        def the_pos_accepts() -> None:
            sandbox.accept_order(pending[0])

        clock.script = [the_pos_accepts]
        first = await anext(watcher)
        assert (first.id, first.status) == (pending[0], "RECEIVED")
        assert isinstance(first.updated_at, datetime)
        assert first.updated_at.tzinfo is not None  # ISO ...Z: aware UTC
        saved = watcher.checkpoint
        await c.orders.cancel(pending[1])
        resumed = c.orders.watch(since=saved, interval=1)
        second = await anext(resumed)
        assert (second.id, second.status) == (pending[1], "IGNORE")
        assert resumed.polls == 1
        assert len(sandbox.requests("GET", "/orders")) == 3  # one request per poll


async def test_orders_watch_checks_its_arguments_before_sending() -> None:
    async with SandboxServer(receipts=10) as sandbox, sandbox.client() as c:
        with pytest.raises(ClientValueError, match="status"):
            c.orders.watch(status="LOST")
        with pytest.raises(ClientValueError, match="is naive"):
            c.orders.watch(since=datetime(2026, 1, 1))
        assert sandbox.log == []

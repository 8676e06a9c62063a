"""receipts.watch against the sandbox: each change once, in order, resumable, cheap when idle."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta

import pytest

from clopos_async import CloposClient, RateLimit, Receipt, ServerError
from clopos_async._watch import Watcher
from clopos_async.testing import RateTier, SandboxServer
from tests.fakes import FakeClock

Action = Callable[[], None]


class ScriptedClock(FakeClock):
    """A fake clock whose n-th sleep runs the n-th scripted action first (a change "meanwhile")."""

    def __init__(self) -> None:
        super().__init__()
        self.script: list[Action] = []

    async def sleep(self, seconds: float) -> None:
        if self.script:
            self.script.pop(0)()
        await super().sleep(seconds)


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(receipts=120, seed=3) as server:
        yield server


@pytest.fixture
async def clock() -> ScriptedClock:
    return ScriptedClock()


@pytest.fixture
async def clopos(sandbox: SandboxServer, clock: ScriptedClock) -> AsyncIterator[CloposClient]:
    async with sandbox.client(clock=clock) as client:
        yield client


async def take(watcher: Watcher[Receipt], n: int) -> list[int]:
    return [(await anext(watcher)).id for _ in range(n)]


def polls(sandbox: SandboxServer) -> int:
    return len(sandbox.requests("GET", "/receipts"))


NOW = datetime(2026, 3, 1, 12, 0, 0)


async def test_start_from_now_yields_only_later_changes_in_order_of_change(
    sandbox: SandboxServer, clopos: CloposClient, clock: ScriptedClock
) -> None:
    watcher = clopos.receipts.watch(interval=5)

    def changes() -> None:
        sandbox.touch(40, at=NOW + timedelta(seconds=2))
        sandbox.touch(7, at=NOW)
        sandbox.touch(99, at=NOW + timedelta(seconds=1))

    clock.script = [changes]
    assert await take(watcher, 3) == [7, 99, 40]
    assert watcher.polls == 2
    assert polls(sandbox) == 2  # one request per poll: page 1 already reaches the horizon
    assert clock.sleeps == [5.0]


async def test_an_idle_watcher_sends_one_request_per_interval(
    sandbox: SandboxServer, clopos: CloposClient, clock: ScriptedClock
) -> None:
    watcher = clopos.receipts.watch(interval=2.5)
    idle = [lambda: None] * 9
    clock.script = [*idle, lambda: sandbox.touch(3, at=NOW)]
    assert await take(watcher, 1) == [3]
    assert watcher.polls == 11
    assert polls(sandbox) == 11
    assert clock.sleeps == [2.5] * 10


async def test_same_second_and_late_writes_are_not_dropped_or_repeated(
    sandbox: SandboxServer, clopos: CloposClient, clock: ScriptedClock
) -> None:
    watcher = clopos.receipts.watch(interval=1, lookback=2)
    clock.script = [
        lambda: sandbox.touch(10, at=NOW),
        lambda: sandbox.touch(11, at=NOW),  # the same second as 10, visible one poll later
        lambda: sandbox.touch(12, at=NOW - timedelta(seconds=1)),  # a late write
        lambda: sandbox.touch(10, at=NOW + timedelta(seconds=1)),  # 10 changes again
    ]
    assert await take(watcher, 4) == [10, 11, 12, 10]
    assert watcher.polls == 5


async def test_a_burst_pages_down_to_the_watermark_and_no_further(
    sandbox: SandboxServer, clopos: CloposClient, clock: ScriptedClock
) -> None:
    watcher = clopos.receipts.watch(interval=1, limit=50)
    for receipt_id in range(1, 121):
        sandbox.touch(receipt_id, at=NOW - timedelta(hours=1, seconds=receipt_id))
    new_ids: list[int] = []
    clock.script = [lambda: new_ids.extend(sandbox.add_receipts(110, created_at=NOW))]
    got = await take(watcher, 110)
    assert sorted(got) == new_ids
    # Poll 1: page 1. Poll 2: 110 new rows on pages 1-3; page 3 reaches the horizon.
    assert polls(sandbox) == 1 + 3


async def test_closes_patches_and_inserts_while_watching_each_yield_once(
    sandbox: SandboxServer, clopos: CloposClient, clock: ScriptedClock
) -> None:
    open_ids = sandbox.receipt_ids(status=1)
    watcher = clopos.receipts.watch(interval=1)
    first, second = open_ids[0], open_ids[1]
    receipt = sandbox.receipt(first)
    added: list[int] = []

    def close_first() -> None:
        sandbox.close_directly(first, [{"id": 1, "name": "Cash", "amount": receipt["total"]}])

    def add_one() -> None:
        added.extend(sandbox.add_receipts(1, created_at=datetime.now().replace(microsecond=0)))
        sandbox.touch(added[0])  # a seeded receipt may come pre-closed, stamped in the future

    clock.script = [close_first, add_one]
    assert await take(watcher, 1) == [first]
    assert await take(watcher, 1) == added
    patched = await clopos.request("PATCH", f"/receipts/{second}", json={"fiscal_id": "F-1"})
    assert patched["data"]["fiscal_id"] == "F-1"
    assert await take(watcher, 1) == [second]
    assert watcher.polls == 4
    assert polls(sandbox) == 4


async def test_restart_from_the_checkpoint_repeats_nothing_and_misses_nothing(
    sandbox: SandboxServer, clock: ScriptedClock
) -> None:
    async with sandbox.client(clock=clock) as client:
        watcher = client.receipts.watch(interval=1)
        def three_changes() -> None:
            for receipt_id in (1, 2, 3):
                sandbox.touch(receipt_id, at=NOW)

        clock.script = [three_changes]
        assert await take(watcher, 2) == [1, 2]  # the worker stops after handling two
        saved = watcher.checkpoint
    sandbox.touch(4, at=NOW)  # same second, while the worker is down
    sandbox.touch(5, at=NOW + timedelta(seconds=3))
    async with sandbox.client(clock=clock) as client:
        resumed = client.receipts.watch(since=saved, interval=1)
        assert await take(resumed, 3) == [3, 4, 5]
        assert resumed.polls == 1


async def test_since_a_datetime_yields_everything_updated_at_or_after_it(
    sandbox: SandboxServer, clopos: CloposClient
) -> None:
    for offset, receipt_id in enumerate((20, 21, 22)):
        sandbox.touch(receipt_id, at=NOW + timedelta(seconds=offset - 1))
    watcher = clopos.receipts.watch(since=NOW, interval=1)
    assert await take(watcher, 2) == [21, 22]


async def test_a_persistent_fault_raises_with_the_last_checkpoint_readable(
    sandbox: SandboxServer, clopos: CloposClient, clock: ScriptedClock
) -> None:
    watcher = clopos.receipts.watch(interval=1)
    clock.script = [lambda: sandbox.touch(5, at=NOW)]
    assert await take(watcher, 1) == [5]
    good = watcher.checkpoint
    sandbox.fault("/receipts", method="GET", status=503)
    with pytest.raises(ServerError):
        await anext(watcher)
    assert watcher.checkpoint == good
    resumed = clopos.receipts.watch(since=good, interval=1)
    sandbox.faults.clear()
    sandbox.touch(6, at=NOW + timedelta(seconds=1))
    assert await take(resumed, 1) == [6]


async def test_a_transient_fault_is_retried(
    sandbox: SandboxServer, clopos: CloposClient, clock: ScriptedClock
) -> None:
    watcher = clopos.receipts.watch(interval=1)
    clock.script = [lambda: sandbox.touch(8, at=NOW)]
    sandbox.fault("/receipts", method="GET", status=502, attempts=[2, 3])
    assert await take(watcher, 1) == [8]


async def test_cancelling_a_watch_leaves_no_task_behind(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        watcher = client.receipts.watch(interval=0.01)

        async def consume() -> None:
            async for _ in watcher:
                pass

        task = asyncio.create_task(consume())
        for _ in range(200):  # let it poll a few times (bounded: never hangs the suite)
            if polls(sandbox) >= 3:
                break
            await asyncio.sleep(0.005)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert client_tasks() == []


def client_tasks() -> list[asyncio.Task[object]]:
    """Tasks other than this test's, leaving out the sandbox server's own handlers."""
    me = asyncio.current_task()
    return [
        task
        for task in asyncio.all_tasks()
        if task is not me and "aiohttp/web" not in task.get_coro().cr_code.co_filename  # type: ignore[union-attr]
    ]


async def test_a_watch_and_an_export_share_the_budget_with_zero_429s() -> None:
    tier = RateTier(requests=12, window=1.0)
    async with SandboxServer(receipts=400, seed=5, tenant_limit=tier) as sandbox:
        limits = RateLimit(requests=12, window=1.0)
        async with sandbox.client(rate_limit=limits) as client:
            watcher = client.receipts.watch(interval=0.05)

            async def export() -> int:
                return len([r async for r in client.receipts.list(limit=25, concurrency=4)])

            async def watch() -> None:
                async for _ in watcher:
                    pass

            watching = asyncio.create_task(watch())
            assert await export() == 400
            watching.cancel()
            with pytest.raises(asyncio.CancelledError):
                await watching
        statuses = [entry.status for entry in sandbox.requests("GET", "/receipts")]
        assert 429 not in statuses
        assert len(statuses) > 16  # the export's 16 pages and the watcher's polls


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"interval": 0}, "interval=0"),
        ({"lookback": -1}, "lookback=-1"),
        ({"since": 5}, "since=int"),
        ({"since": "nope"}, "not a checkpoint"),
        ({"status": 3}, "status"),
        ({"limit": 500}, "limit=500"),
    ],
)
async def test_bad_arguments_raise_before_anything_is_sent(
    sandbox: SandboxServer, clopos: CloposClient, kwargs: dict[str, object], words: str
) -> None:
    from clopos_async import ClientValueError

    with pytest.raises(ClientValueError, match=words):
        clopos.receipts.watch(**kwargs)  # type: ignore[arg-type]
    assert sandbox.log == []

"""Sweeps while rows arrive or leave mid-sweep, against the sandbox (issue 9 items 1, 2, 10).

Every receipt that matched for the whole sweep must be yielded exactly once, in
whatever order pages are answered; re-reads happen only when ``total`` changed;
stopping early leaves no request task running.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import random
from collections.abc import Mapping
from decimal import Decimal

import pytest

from clopos_async import PaymentMethod, Receipt
from clopos_async.testing import SandboxServer

CONCURRENCIES = [1, 2, 4, 8]
SEEDS = range(10)
PAGE_TASKS = {"_call", "Receipts.get"}  # the coroutines the pager's and get_many's windows run


def page_of(query: Mapping[str, str]) -> int:
    return int(query.get("page", "0"))


def delay_page(sandbox: SandboxServer, page: int, seconds: float) -> None:
    """Answer the first request for ``page`` of ``/receipts`` ``seconds`` late."""
    pending = [page]

    async def before(method: str, path: str, query: Mapping[str, str]) -> None:
        if path == "/receipts" and page_of(query) in pending:
            pending.remove(page)
            await asyncio.sleep(seconds)

    sandbox.on_request(before=before)


def after_page(sandbox: SandboxServer, page: int, change: object) -> None:
    """Run ``change()`` right after the first request for ``page`` was answered."""
    pending = [page]

    def after(method: str, path: str, query: Mapping[str, str]) -> None:
        if path == "/receipts" and page_of(query) in pending:
            pending.remove(page)
            change()  # type: ignore[operator]

    sandbox.on_request(after=after)


def cash(receipt: Receipt) -> list[PaymentMethod]:
    return [PaymentMethod(id=1, name="Cash", amount=receipt.total or Decimal(0))]


def close_directly(sandbox: SandboxServer, receipt_ids: list[int]) -> None:
    for receipt_id in receipt_ids:
        total = sandbox.receipt(receipt_id)["total"]
        sandbox.close_directly(receipt_id, [{"id": 1, "name": "Cash", "amount": total}])


def page_requests(sandbox: SandboxServer) -> int:
    return len(sandbox.requests("GET", "/receipts"))


async def test_the_reported_case_yields_every_receipt() -> None:
    """200 receipts, limit 50, C=2, page 2 late, 10 new after page 3: was 190 yielded."""
    async with SandboxServer(receipts=200, seed=1) as sandbox:
        before = set(sandbox.receipt_ids())
        delay_page(sandbox, 2, 0.2)
        after_page(sandbox, 3, lambda: sandbox.add_receipts(10))
        async with sandbox.client() as clopos:
            got = [r.id async for r in clopos.receipts.list(limit=50, concurrency=2)]
    assert len(got) == len(set(got))
    assert before <= set(got)


@pytest.mark.parametrize("concurrency", CONCURRENCIES)
@pytest.mark.parametrize("seed", SEEDS)
async def test_new_receipts_out_of_order_lose_nothing(concurrency: int, seed: int) -> None:
    rng = random.Random(seed)
    async with SandboxServer(receipts=rng.randint(120, 260), seed=seed) as sandbox:
        before = set(sandbox.receipt_ids())
        delay_page(sandbox, rng.randint(1, 4), rng.choice([0.0, 0.005, 0.02, 0.05]))
        for _ in range(rng.randint(1, 3)):
            count = rng.randint(1, 60)
            after_page(sandbox, rng.randint(1, 5), lambda n=count: sandbox.add_receipts(n))
        async with sandbox.client() as clopos:
            got = [
                r.id async for r in clopos.receipts.list(limit=50, concurrency=concurrency)
            ]
    assert len(got) == len(set(got))  # exactly once
    assert before <= set(got)  # nothing that existed all along was missed


@pytest.mark.parametrize("concurrency", CONCURRENCIES)
@pytest.mark.parametrize("seed", SEEDS)
async def test_others_closing_mid_filtered_sweep_lose_nothing(concurrency: int, seed: int) -> None:
    rng = random.Random(seed)
    async with SandboxServer(receipts=199, seed=seed, open_ratio=1.0) as sandbox:
        open_ids = sandbox.receipt_ids(status=1)
        closed = rng.sample(open_ids, 30)
        delay_page(sandbox, rng.randint(1, 4), rng.choice([0.0, 0.005, 0.02]))
        for batch in (closed[:10], closed[10:20], closed[20:]):
            after_page(sandbox, rng.randint(1, 4), lambda b=batch: close_directly(sandbox, b))
        async with sandbox.client() as clopos:
            pager = clopos.receipts.list(status=1, limit=50, concurrency=concurrency)
            got = [r.id async for r in pager]
        stayed_open = set(open_ids) - set(closed)
        assert stayed_open <= set(sandbox.receipt_ids(status=1))
    assert len(got) == len(set(got))
    assert stayed_open <= set(got)


@pytest.mark.parametrize("concurrency", [1, 2, 4])
async def test_new_open_receipts_mid_filtered_sweep_lose_nothing(concurrency: int) -> None:
    async with SandboxServer(receipts=300, seed=5, open_ratio=0.6) as sandbox:
        before = set(sandbox.receipt_ids(status=1))
        delay_page(sandbox, 2, 0.02)
        after_page(sandbox, 1, lambda: sandbox.add_receipts(40))
        async with sandbox.client() as clopos:
            pager = clopos.receipts.list(status=1, limit=50, concurrency=concurrency)
            got = [r.id async for r in pager]
    assert len(got) == len(set(got))
    assert before <= set(got)


@pytest.mark.parametrize("concurrency", [1, 2, 4, 8])
@pytest.mark.parametrize("limit", [20, 50])
async def test_the_close_loop_closes_every_open_receipt(concurrency: int, limit: int) -> None:
    async with SandboxServer(receipts=400, seed=2, open_ratio=0.5) as sandbox:
        open_ids = sandbox.receipt_ids(status=1)
        async with sandbox.client() as clopos:
            pager = clopos.receipts.list(status=1, limit=limit, concurrency=concurrency)
            async for receipt in pager:
                await clopos.receipts.close(receipt, cash(receipt))
        assert sandbox.receipt_ids(status=1) == []
        assert sorted(c.receipt_id for c in sandbox.closes) == open_ids  # each once


@pytest.mark.parametrize("concurrency", CONCURRENCIES)
@pytest.mark.parametrize("status", [None, 1])
async def test_no_extra_request_when_nothing_changes(concurrency: int, status: int | None) -> None:
    async with SandboxServer(receipts=777, seed=4, open_ratio=0.5) as sandbox:
        expected = sandbox.receipt_ids(status=status)
        delay_page(sandbox, 2, 0.02)  # out-of-order answers alone cause no re-read
        async with sandbox.client() as clopos:
            pager = clopos.receipts.list(status=status, limit=50, concurrency=concurrency)
            got = [r.id async for r in pager]
        assert got == sorted(expected, reverse=True)  # newest first, in page order
        pages = [page_of(dict(r.query)) for r in sandbox.requests("GET", "/receipts")]
    assert sorted(pages) == list(range(1, math.ceil(len(expected) / 50) + 1))
    assert pager.next_page == len(pages) + 1


async def test_next_page_after_a_failure_resumes_in_the_shifted_state() -> None:
    """With re-reads, next_page is the page holding the first row not yet yielded, now."""
    async with SandboxServer(receipts=200, seed=6, open_ratio=1.0) as sandbox:
        async with sandbox.client() as clopos:
            pager = clopos.receipts.list(status=1, limit=50)
            async for receipt in pager:
                await clopos.receipts.close(receipt, cash(receipt))
                if len(sandbox.closes) == 50:
                    break
            assert pager.next_page == 1  # the 50 closed rows left page 1: the rest moved up
            async for receipt in pager:
                await clopos.receipts.close(receipt, cash(receipt))
        assert sandbox.receipt_ids(status=1) == []


# --- stopping early (item 10) -------------------------------------------------------------------


def window_tasks() -> list[asyncio.Task[object]]:
    return [
        task
        for task in asyncio.all_tasks()
        if getattr(task.get_coro(), "__qualname__", "") in PAGE_TASKS and not task.done()
    ]


def cancel_requested(task: asyncio.Task[object]) -> bool:
    """Task.cancelling() (Python 3.11+; the suite runs on 3.11, mypy checks for 3.10)."""
    return bool(getattr(task, "cancelling")())  # noqa: B009


async def settle() -> None:
    """Let cancelled tasks finish unwinding (a bounded number of loop turns)."""
    for _ in range(50):
        if not window_tasks():
            return
        await asyncio.sleep(0)


def slow_sandbox(sandbox: SandboxServer) -> None:
    """Answer page 1 and receipt 1 at once, every other GET only after 5 s."""

    async def before(method: str, path: str, query: Mapping[str, str]) -> None:
        first = path == "/receipts/1" or (path == "/receipts" and page_of(query) == 1)
        if method == "GET" and not first:
            await asyncio.sleep(5)  # long enough to still be in flight when the loop breaks

    sandbox.on_request(before=before)


async def test_break_out_of_a_prefetching_pager_cancels_its_requests(
    sandbox: SandboxServer,
) -> None:
    slow_sandbox(sandbox)
    async with sandbox.client() as clopos:
        async for _ in clopos.receipts.list(limit=10, concurrency=4):
            assert len(window_tasks()) == 4  # pages 2-5 in flight
            break
        assert all(cancel_requested(task) for task in window_tasks())  # at once, no await needed
        await settle()
        assert window_tasks() == []


async def test_break_out_of_get_many_cancels_its_requests(sandbox: SandboxServer) -> None:
    slow_sandbox(sandbox)
    async with sandbox.client() as clopos:
        async for _ in clopos.receipts.get_many([1, 2, 3, 4, 5], concurrency=3):
            break
        assert all(cancel_requested(task) for task in window_tasks())
        await settle()
        assert window_tasks() == []


async def test_aclosing_stops_a_held_iterator_deterministically(sandbox: SandboxServer) -> None:
    slow_sandbox(sandbox)
    async with sandbox.client() as clopos:
        pager = clopos.receipts.list(limit=10, concurrency=3)
        async with contextlib.aclosing(aiter(pager.pages())) as pages:
            async for _ in pages:
                break
        assert window_tasks() == []  # aclose() waited for the cancelled requests

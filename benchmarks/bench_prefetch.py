"""Prefetch benchmark: wall time of a paged sweep at latency L vs the ideal ceil(N/C)*L.

Run ``python -m benchmarks.bench_prefetch`` (``--quick`` for one sweep per C).
The sandbox serves from a child process and answers every request after L
seconds. The SDK pager sweeps N pages with ``concurrency=C``; the figure is the
median wall time of the sweeps. The ideal assumes C requests in flight from the
first moment. The pager cannot do that: it must read page 1's ``total`` before it
may ask for page 2 (DESIGN §2: no probe requests, never a page past the end),
so its floor is (1 + ceil((N-1)/C))*L; the notes show that floor too. They also
show bare aiohttp + ``orjson.loads`` fetching the same N pages, C in flight from
the first moment (it is told N): what this machine and sandbox allow any client.
"""

from __future__ import annotations

import asyncio
import math
import statistics
import sys
import time

import aiohttp
import attrs

from benchmarks._report import Measure, bench_main
from benchmarks._sandbox_process import SandboxProcess
from benchmarks.bench_overhead import BareClient
from clopos_async import CloposClient, RateLimit

PAGES = 40
PAGE_LIMIT = 50
LATENCY = 0.050
CONCURRENCIES = (1, 4, 8)
GOAL = 1.15
GOAL_CONCURRENCY = 8
UNLIMITED = RateLimit(requests=10**9, window=60.0, auth_requests=10**9)


@attrs.frozen(kw_only=True, slots=True)
class Sweep:
    """One timed sweep: wall seconds, pages seen, page requests sent."""

    seconds: float
    pages: int
    receipts: int
    requests: int


async def sweep(client: CloposClient, concurrency: int) -> Sweep:
    """Every page of the receipts list with ``concurrency`` pages in flight."""
    requests_before = client.stats.requests
    pages = receipts = 0
    started = time.perf_counter()
    pager = client.receipts.list(limit=PAGE_LIMIT, concurrency=concurrency)
    async for page in pager.pages():
        pages += 1
        receipts += len(page.items)
    seconds = time.perf_counter() - started
    requests = client.stats.requests - requests_before
    return Sweep(seconds=seconds, pages=pages, receipts=receipts, requests=requests)


async def bare_sweep(bare: BareClient, concurrency: int) -> float:
    """Wall seconds for bare aiohttp to fetch the N pages, ``concurrency`` at a time."""
    numbers = iter(range(1, PAGES + 1))

    async def worker() -> None:
        for number in numbers:
            await bare.fetch_page((("page", str(number)), ("limit", str(PAGE_LIMIT))))

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started


def ideal_seconds(pages: int, concurrency: int, latency: float) -> float:
    return math.ceil(pages / concurrency) * latency


def floor_seconds(pages: int, concurrency: int, latency: float) -> float:
    """Page 1 alone (its total says how many exist), then the rest C at a time."""
    return (1 + math.ceil((pages - 1) / concurrency)) * latency


def to_measure(concurrency: int, sweeps: list[Sweep], bare_runs: list[float]) -> Measure:
    seconds = statistics.median(s.seconds for s in sweeps)
    bare = statistics.median(bare_runs)
    ideal = ideal_seconds(PAGES, concurrency, LATENCY)
    floor = floor_seconds(PAGES, concurrency, LATENCY)
    ratio = seconds / ideal
    has_goal = concurrency == GOAL_CONCURRENCY
    return Measure(
        key=f"prefetch_c{concurrency}",
        label=f"{PAGES} pages at L={LATENCY * 1000:.0f} ms, C={concurrency}: wall / ideal",
        ours=seconds,
        baseline=ideal,
        unit="s",
        ratio=ratio,
        goal=f"<= {GOAL:.2f}" if has_goal else "-",
        passed=ratio <= GOAL if has_goal else None,
        note=f"floor (page 1 first) {floor / ideal:.2f}x ideal; "
        f"bare aiohttp {bare:.3f} s = {bare / ideal:.2f}x ideal; ours/bare {seconds / bare:.2f}",
        details={
            "concurrency": concurrency,
            "latency_s": LATENCY,
            "pages_expected": PAGES,
            "wall_s": seconds,
            "ideal_s": ideal,
            "floor_s": floor,
            "ratio_to_floor": seconds / floor,
            "bare_aiohttp_s": bare,
            "bare_ratio_to_ideal": bare / ideal,
            "ratio_to_bare": seconds / bare,
            "sweeps": len(sweeps),
            "pages_seen": min(s.pages for s in sweeps),
            "page_requests_max": max(s.requests for s in sweeps),
            "page_requests_min": min(s.requests for s in sweeps),
            "receipts_per_sweep": min(s.receipts for s in sweeps),
        },
    )


async def measure(quick: bool = False) -> list[Measure]:
    """Time SDK and bare sweeps at each concurrency against a child-process sandbox."""
    repeats = 1 if quick else 5
    async with (
        SandboxProcess(receipts=PAGES * PAGE_LIMIT, latency=LATENCY) as sandbox,
        sandbox.client(rate_limit=UNLIMITED, max_concurrency=max(CONCURRENCIES)) as client,
        aiohttp.ClientSession() as session,
    ):
        bare = BareClient(session, sandbox.base_url)
        await bare.log_in(sandbox.credentials)
        await client.receipts.list(limit=PAGE_LIMIT)  # warm up: token, session, caches
        await bare.fetch_page()
        rows = []
        for concurrency in CONCURRENCIES:
            sweeps, bare_runs = await _alternate(client, bare, concurrency, repeats)
            rows.append(to_measure(concurrency, sweeps, bare_runs))
    return rows


async def _alternate(
    client: CloposClient, bare: BareClient, concurrency: int, repeats: int
) -> tuple[list[Sweep], list[float]]:
    """SDK and bare sweeps in turn, so drift on the machine hits both alike."""
    sweeps: list[Sweep] = []
    bare_runs: list[float] = []
    for _ in range(repeats):
        sweeps.append(await sweep(client, concurrency))
        bare_runs.append(await bare_sweep(bare, concurrency))
    return sweeps, bare_runs


def main(argv: list[str] | None = None) -> int:
    return bench_main(measure, argv, doc=__doc__, quick_help="one sweep per concurrency")


if __name__ == "__main__":
    sys.exit(main())

"""Memory benchmark: this process's peak RSS growth while streaming every receipt.

Run ``python -m benchmarks.bench_memory`` (``--quick`` streams fewer receipts).
The sandbox runs in a child process so its own memory never counts. The SDK
pager (``limit=200``, ``concurrency=4``) streams every receipt and each one is
dropped at once. RSS comes from ``/proc/self/statm`` (Linux), sampled once per
page: the baseline after a warm-up page, the checkpoint at a fifth of the
stream, the end, and the maximum. A pager that keeps what it streamed grows
between the checkpoint and the end; one that only holds its pages in flight
stays flat. RSS hides small leaks (freed pages are reused), so the flat check
also counts the interpreter's live small objects (``sys.getallocatedblocks``)
before the stream and after it, the pager still alive and nothing in flight:
anything the pager keeps per receipt shows as >= 1 object each.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import attrs

from benchmarks._report import Measure, bench_main
from benchmarks._sandbox_process import SandboxProcess
from clopos_async import CloposClient, RateLimit

RECEIPTS = 100_000
QUICK_RECEIPTS = 25_000
PAGE_LIMIT = 200  # API §8: the receipts maximum (SDK docstring 1-200)
CONCURRENCY = 4
GROWTH_GOAL_MB = 50.0
#: "Flat": RSS growth from the checkpoint to the end, per receipt streamed in between.
#: Keeping anything per receipt costs >= ~36 B (an int and a pointer); 16 B is noise
#: room (de-duplication keeps about a bit per dense id, clopos_async/_seen.py).
FLAT_GOAL_BYTES_PER_RECEIPT = 16.0
#: Live small objects gained per receipt after the checkpoint; a kept object per receipt
#: counts 1, while bounded caches (money memo, absent-key sets) are full by then.
FLAT_GOAL_BLOCKS_PER_RECEIPT = 0.01
#: Pacing stays in the path, with a budget this run never reaches.
UNLIMITED = RateLimit(requests=10**9, window=60.0, auth_requests=10**9)
_STATM = Path("/proc/self/statm")
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


def resident_bytes() -> int:
    """This process's resident set size now (second field of ``/proc/self/statm``)."""
    return int(_STATM.read_text().split()[1]) * _PAGE_BYTES


@attrs.define(kw_only=True, slots=True)
class StreamFigures:
    """RSS samples (bytes) and exact counts of one streaming run."""

    receipts: int = 0
    page_requests: int = 0
    baseline: int = 0
    at_checkpoint: int = 0
    at_end: int = 0
    peak: int = 0
    blocks_before: int = 0
    blocks_at_checkpoint: int = 0
    blocks_after: int = 0

    def sample(self) -> int:
        rss = resident_bytes()
        self.peak = max(self.peak, rss)
        return rss


def live_blocks() -> int:
    """Live small objects once cyclic garbage is gone (pymalloc's allocated blocks)."""
    gc.collect()
    return sys.getallocatedblocks()


async def stream(client: CloposClient, expected: int) -> StreamFigures:
    """Stream every receipt once, dropping each; sample RSS once per page."""
    await _warm_up(client)
    figures = StreamFigures(blocks_before=live_blocks(), baseline=resident_bytes())
    figures.peak = figures.baseline
    checkpoint = expected // 5
    requests_before = client.stats.requests
    pager = client.receipts.list(limit=PAGE_LIMIT, concurrency=CONCURRENCY)
    async for _receipt in pager:
        figures.receipts += 1
        if figures.receipts % PAGE_LIMIT == 0:
            rss = figures.sample()
            if figures.receipts == checkpoint:
                figures.at_checkpoint = rss
                figures.blocks_at_checkpoint = live_blocks()
    figures.at_end = figures.sample()
    figures.page_requests = client.stats.requests - requests_before
    figures.blocks_after = live_blocks()  # the pager is still alive: what it kept counts
    del pager
    return figures


async def _warm_up(client: CloposClient) -> None:
    """One page first: the session, the token and the converter caches are not growth."""
    page = await client.receipts.list(limit=PAGE_LIMIT)
    del page


def to_measures(figures: StreamFigures, expected: int) -> list[Measure]:
    """The two rows: peak growth against 50 MB, and flatness after the checkpoint."""
    details = _details(figures, expected)
    return [_peak_row(figures, expected, details), _flat_row(expected, details)]


def _details(figures: StreamFigures, expected: int) -> dict[str, float | int]:
    late_receipts = max(expected - expected // 5, 1)
    late_bytes = max(figures.at_end - figures.at_checkpoint, 0)
    kept_blocks = figures.blocks_after - figures.blocks_before
    late_blocks = figures.blocks_after - figures.blocks_at_checkpoint
    return {
        "receipts_expected": expected,
        "receipts_streamed": figures.receipts,
        "page_requests": figures.page_requests,
        "rss_baseline_mb": figures.baseline / MB,
        "rss_checkpoint_mb": figures.at_checkpoint / MB,
        "rss_end_mb": figures.at_end / MB,
        "rss_peak_mb": figures.peak / MB,
        "peak_growth_mb": (figures.peak - figures.baseline) / MB,
        "late_growth_mb": late_bytes / MB,
        "late_bytes_per_receipt": late_bytes / late_receipts,
        "kept_objects": kept_blocks,
        "kept_objects_per_receipt": kept_blocks / max(figures.receipts, 1),
        "late_objects_per_receipt": late_blocks / late_receipts,
    }


def _peak_row(figures: StreamFigures, expected: int, details: dict[str, float | int]) -> Measure:
    growth_mb = float(details["peak_growth_mb"])
    return Measure(
        key="memory_peak",
        label=f"peak RSS growth, {expected // 1000}k receipts streamed",
        ours=growth_mb,
        baseline=GROWTH_GOAL_MB,
        unit="MB",
        ratio=growth_mb / GROWTH_GOAL_MB,
        goal="<= 1.00 (50 MB)",
        passed=growth_mb <= GROWTH_GOAL_MB and figures.receipts == expected,
        note=f"{figures.receipts} receipts in {figures.page_requests} pages",
        details=details,
    )


def _flat_row(expected: int, details: dict[str, float | int]) -> Measure:
    per_receipt = float(details["late_bytes_per_receipt"])
    kept = float(details["late_objects_per_receipt"])
    span = f"{expected // 5 // 1000}k->{expected // 1000}k"
    return Measure(
        key="memory_flat",
        label=f"RSS growth {span}, per receipt",
        ours=per_receipt,
        baseline=FLAT_GOAL_BYTES_PER_RECEIPT,
        unit="B",
        ratio=per_receipt / FLAT_GOAL_BYTES_PER_RECEIPT,
        goal="<= 1.00 and < 0.01 obj/receipt",
        passed=per_receipt <= FLAT_GOAL_BYTES_PER_RECEIPT and kept < FLAT_GOAL_BLOCKS_PER_RECEIPT,
        note=f"+{float(details['late_growth_mb']):.1f} MB; {kept:.3f} objects kept/receipt",
        details=details,
    )


async def measure(quick: bool = False) -> list[Measure]:
    """Run the streaming benchmark against a child-process sandbox."""
    expected = QUICK_RECEIPTS if quick else RECEIPTS
    async with (
        SandboxProcess(receipts=expected) as sandbox,
        sandbox.client(rate_limit=UNLIMITED, max_concurrency=CONCURRENCY) as client,
    ):
        figures = await stream(client, expected)
    return to_measures(figures, expected)


def main(argv: list[str] | None = None) -> int:
    return bench_main(measure, argv, doc=__doc__, quick_help=f"{QUICK_RECEIPTS} receipts")


if __name__ == "__main__":
    sys.exit(main())

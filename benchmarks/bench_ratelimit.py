"""Rate-limit benchmark: requests the server admitted per window vs its budget, and 429s.

Run ``python -m benchmarks.bench_ratelimit`` (``--quick`` for fewer windows).
The sandbox runs in this process with its per-tenant tier shortened to
``BUDGET`` requests per ``WINDOW`` seconds (API §7 tier 3, scaled down), and the
client's ``RateLimit`` is set to the same tier. Many concurrent callers fetch
receipts for a whole number of windows. The counts come from the SANDBOX's
request log: consecutive windows from the first admitted request, requests
admitted (status 200) in each, and every 429 it answered.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import statistics
import sys
import time
from collections.abc import Sequence

import attrs

from benchmarks._report import Measure, bench_main
from clopos_async import CloposClient, RateLimit
from clopos_async.testing import LoggedRequest, RateTier, SandboxServer

BUDGET = 60
WINDOW = 2.0
WINDOWS = 6
QUICK_WINDOWS = 4
CALLERS = 24
RECEIPTS = 500
GOAL = 0.95


@attrs.frozen(kw_only=True, slots=True)
class WindowCounts:
    """What the sandbox saw: admitted requests per window, 429s, and the busiest window."""

    admitted: tuple[int, ...]
    rate_limited: int
    busiest_sliding_window: int
    client_rate_limited: int
    client_requests: int


async def _caller(client: CloposClient, ids: itertools.cycle[int], until: float) -> None:
    while time.monotonic() < until:
        await client.receipts.get(next(ids))


async def drive(sandbox: SandboxServer, windows: int) -> CloposClient:
    """Run the callers for ``windows`` windows from the first request; return the client."""
    client: CloposClient = sandbox.client(
        rate_limit=RateLimit(requests=BUDGET, window=WINDOW, auth_requests=BUDGET)
    )
    ids = itertools.cycle(range(1, RECEIPTS + 1))
    async with client:
        await client.receipts.get(next(ids))  # token and session first; counted in window 1
        until = time.monotonic() + windows * WINDOW
        callers = [asyncio.ensure_future(_caller(client, ids, until)) for _ in range(CALLERS)]
        await asyncio.sleep(max(until - time.monotonic(), 0.0))
        for task in callers:
            task.cancel()  # a caller waiting for a slot past the end would only add a window
        await asyncio.gather(*callers, return_exceptions=True)
    return client


def count_windows(log: Sequence[LoggedRequest], windows: int) -> tuple[int, ...]:
    """Admitted requests in each of ``windows`` consecutive windows from the first one."""
    admitted = sorted(e.started for e in log if e.path.startswith("/receipts") and e.status == 200)
    if not admitted:
        return (0,) * windows
    first = admitted[0]
    edges = [first + k * WINDOW for k in range(windows + 1)]
    return tuple(
        bisect.bisect_left(admitted, edges[k + 1]) - bisect.bisect_left(admitted, edges[k])
        for k in range(windows)
    )


def busiest_sliding_window(log: Sequence[LoggedRequest]) -> int:
    """The most admitted requests in any WINDOW-long span (the server's own rule)."""
    times = sorted(e.started for e in log if e.path.startswith("/receipts") and e.status == 200)
    return max(
        (bisect.bisect_left(times, t + WINDOW) - i for i, t in enumerate(times)),
        default=0,
    )


def to_measure(counts: WindowCounts) -> Measure:
    achieved = statistics.mean(counts.admitted)
    ratio = achieved / BUDGET
    return Measure(
        key="rate_limit",
        label=f"admitted per window / budget ({BUDGET} per {WINDOW:g} s)",
        ours=achieved,
        baseline=float(BUDGET),
        unit="req",
        ratio=ratio,
        goal=f">= {GOAL:.2f}, 0 429s",
        passed=ratio >= GOAL and counts.rate_limited == 0,
        note=f"{counts.rate_limited} 429s; windows {'/'.join(map(str, counts.admitted))}; "
        f"busiest sliding window {counts.busiest_sliding_window}",
        details={
            "budget": BUDGET,
            "window_s": WINDOW,
            "windows": len(counts.admitted),
            "callers": CALLERS,
            "admitted_total": sum(counts.admitted),
            "admitted_min_window": min(counts.admitted),
            "admitted_max_window": max(counts.admitted),
            "rate_limited_429": counts.rate_limited,
            "busiest_sliding_window": counts.busiest_sliding_window,
            "client_rate_limited": counts.client_rate_limited,
            "client_requests": counts.client_requests,
        },
    )


async def measure(quick: bool = False) -> list[Measure]:
    """Drive the in-process sandbox at its tenant tier and count what it admitted."""
    windows = QUICK_WINDOWS if quick else WINDOWS
    tier = RateTier(BUDGET, window=WINDOW)
    async with SandboxServer(receipts=RECEIPTS, tenant_limit=tier) as sandbox:
        client = await drive(sandbox, windows)
        log = list(sandbox.log)
    counts = WindowCounts(
        admitted=count_windows(log, windows),
        rate_limited=sum(1 for e in log if e.status == 429),
        busiest_sliding_window=busiest_sliding_window(log),
        client_rate_limited=client.stats.rate_limited,
        client_requests=client.stats.requests,
    )
    return [to_measure(counts)]


def main(argv: list[str] | None = None) -> int:
    return bench_main(measure, argv, doc=__doc__, quick_help=f"{QUICK_WINDOWS} windows")


if __name__ == "__main__":
    sys.exit(main())

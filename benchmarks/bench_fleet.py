"""Fleet benchmark: N worker processes sharing one budget through Redis (DESIGN §6, §7).

Run ``python -m benchmarks.bench_fleet`` (``--quick`` for fewer requests). A
redis-server of its own (persistence off) and an in-process sandbox whose tenant
tier is ``BUDGET`` per ``WINDOW`` s; N = 1, 2, 4, 8 processes split a fixed number
of receipt requests. Per N: the share of the budget admitted per whole window, the
429s and the ``POST /auth`` calls, all from the sandbox's log. Then one process,
no tiers, sequential requests: time per request with the Redis backend over the
in-memory one (the cost of three Redis round trips per request).
"""

from __future__ import annotations

import sys

import redis.asyncio

from benchmarks._fleet import Fleet, admitted_per_window, count, worker_args
from benchmarks._redis_server import RedisServer
from benchmarks._report import Measure, bench_main
from clopos_async.testing import RateTier, SandboxServer

BUDGET, WINDOW = 60, 2.0
TOTAL, QUICK_TOTAL = 480, 240
FLEETS = (1, 2, 4, 8)
OVERHEAD_REQUESTS = 300
GOAL = 0.9


async def _flush(url: str) -> None:
    """Start each row on an empty Redis: the rows share one tenant key."""
    client = redis.asyncio.Redis.from_url(url)
    await client.flushall()
    await client.aclose()


async def _fleet_row(n: int, total: int, url: str) -> Measure:
    await _flush(url)
    async with SandboxServer(receipts=100, tenant_limit=RateTier(BUDGET, window=WINDOW)) as sb:
        args = worker_args(
            base_url=sb.base_url,
            auth=sb.credentials.auth_body(),
            requests=total // n,
            redis_url=url,
            budget=(BUDGET, WINDOW),
        )
        fleet = await Fleet.start([args] * n)
        fleet.go()
        await fleet.results()
        log = list(sb.log)
    windows = admitted_per_window(log, WINDOW) or [0]
    used = sum(windows) / (len(windows) * BUDGET)
    rejected, auth = count(log, status=429), count(log, path="/auth")
    return Measure(
        key=f"fleet_n{n}",
        label=f"fleet of {n} sharing {BUDGET} per {WINDOW:g} s: budget used",
        ours=sum(windows) / len(windows),
        baseline=float(BUDGET),
        unit="req",
        ratio=used,
        goal=f">= {GOAL:.2f}, 0 429s, 1 /auth",
        passed=used >= GOAL and rejected == 0 and auth == 1,
        note=f"{rejected} 429s; {auth} /auth; windows {'/'.join(map(str, windows))}",
        details={
            "processes": n,
            "requests": total // n * n,
            "rate_limited_429": rejected,
            "auth_calls": auth,
            "windows": len(windows),
        },
    )


async def _per_request(url: str | None) -> float:
    if url is not None:
        await _flush(url)
    async with SandboxServer(
        receipts=100, auth_limit=None, flood_limit=None, tenant_limit=None
    ) as sb:
        args = worker_args(
            base_url=sb.base_url,
            auth=sb.credentials.auth_body(),
            requests=OVERHEAD_REQUESTS,
            redis_url=url,
            concurrency=1,
        )
        fleet = await Fleet.start([args])
        fleet.go()
        report = (await fleet.results())[0]
    return float(report["seconds"]) / OVERHEAD_REQUESTS * 1e6


async def measure(quick: bool = False) -> list[Measure]:
    """The fleet rows, then the overhead row."""
    server = RedisServer()
    server.start()
    try:
        rows = [await _fleet_row(n, QUICK_TOTAL if quick else TOTAL, server.url) for n in FLEETS]
        memory, shared = await _per_request(None), await _per_request(server.url)
    finally:
        server.stop()
    rows.append(
        Measure(
            key="fleet_overhead",
            label="per-request time, Redis backend vs in-memory",
            ours=shared,
            baseline=memory,
            unit="µs/req",
            ratio=shared / memory,
            goal="info",
            passed=None,
            note=f"+{shared - memory:.0f} µs per request, loopback Redis",
            details={"requests": OVERHEAD_REQUESTS},
        )
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    return bench_main(measure, argv, doc=__doc__, quick_help=f"{QUICK_TOTAL} requests per fleet")


if __name__ == "__main__":
    sys.exit(main())

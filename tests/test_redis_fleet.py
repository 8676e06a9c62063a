"""A fleet of real OS processes sharing one Redis against one sandbox (issue 14 scenarios).

Each worker is ``python -m benchmarks._fleet``; the sandbox runs in this process
with a small tenant budget (30 per 3 s) so the runs stay short. Counts come from
the sandbox's own log: admitted requests per window, 429s, ``POST /auth`` calls.
"""

from __future__ import annotations

import asyncio

import redis.asyncio

from benchmarks._fleet import Fleet, worker_args
from benchmarks._redis_server import RedisServer
from clopos_async.testing import RateTier, SandboxServer
from tests.redis_support import admitted_per_window, count, redis_server

__all__ = ["redis_server"]

BUDGET, WINDOW = 30, 3.0


def _sandbox(**kwargs: object) -> SandboxServer:
    return SandboxServer(receipts=100, tenant_limit=RateTier(BUDGET, window=WINDOW), **kwargs)  # type: ignore[arg-type]


def _args(sandbox: SandboxServer, requests: int, url: str | None, **kwargs: object) -> list[str]:
    return worker_args(
        base_url=sandbox.base_url,
        auth=sandbox.credentials.auth_body(),
        requests=requests,
        redis_url=url,
        budget=(BUDGET, WINDOW),
        **kwargs,  # type: ignore[arg-type]
    )


async def _run(workers: list[list[str]]) -> list[dict[str, object]]:
    fleet = await Fleet.start(workers)
    fleet.go()
    return await fleet.results()


async def test_four_processes_share_one_budget_and_one_token(redis_server: RedisServer) -> None:
    async with _sandbox() as sandbox:
        reports = await _run([_args(sandbox, 40, redis_server.url) for _ in range(4)])
        log = list(sandbox.log)
    assert [r["ok"] for r in reports] == [40, 40, 40, 40]
    assert count(log, status=429) == 0
    assert count(log, path="/auth") == 1
    windows = admitted_per_window(log, WINDOW)
    assert len(windows) >= 4
    assert sum(windows) / (len(windows) * BUDGET) >= 0.9, windows


async def test_control_in_memory_backends_collide() -> None:
    async with _sandbox() as sandbox:
        reports = await _run([_args(sandbox, 12, None) for _ in range(4)])
        log = list(sandbox.log)
    assert count(log, status=429) > 0  # 48 in one burst against 30
    assert count(log, path="/auth") == 4  # one token per process
    assert sum(int(r["rate_limited"]) for r in reports) == count(log, status=429)  # type: ignore[call-overload]


async def test_kill_9_of_a_slot_holder_leaves_the_others_running(
    redis_server: RedisServer,
) -> None:
    raw = redis.asyncio.Redis.from_url(redis_server.url)
    inflight = "clopos:rl:tenant:test_sandbox:sandbox:inflight"
    await raw.delete(inflight)
    async with _sandbox() as sandbox:
        sandbox.fault("/receipts/7", delay=30.0)  # the victim's requests never answer
        victim = _args(sandbox, 8, redis_server.url, ids=(7, 7), timeout=1.5)
        fleet = await Fleet.start(
            [victim] + [_args(sandbox, 24, redis_server.url, ids=(10, 100))] * 3
        )
        fleet.processes[0].stdin.write(b"go\n")  # type: ignore[union-attr]
        while await raw.zcard(inflight) < 8:  # noqa: ASYNC110 - another process's state
            await asyncio.sleep(0.02)
        fleet.kill(0)  # while it holds 8 slots
        for process in fleet.processes[1:]:
            process.stdin.write(b"go\n")  # type: ignore[union-attr]
        reports = await fleet.results(skip=[0])
        log = list(sandbox.log)
    left = await raw.zcard(inflight)
    await raw.aclose()
    assert [r["ok"] for r in reports] == [24, 24, 24]
    assert count(log, status=429) == 0
    assert left == 0  # the dead slots were reclaimed after their lease (1.5 s + 5 s)


async def test_redis_stopped_and_restarted_mid_run_loses_no_request() -> None:
    server = RedisServer()
    server.start()
    try:
        async with _sandbox() as sandbox:
            fleet = await Fleet.start([_args(sandbox, 45, server.url) for _ in range(2)])
            fleet.go()
            await asyncio.sleep(1.5)
            server.stop()
            await asyncio.sleep(WINDOW + 0.5)  # longer than any pacing wait: both see it
            server.start()
            reports = await fleet.results()
    finally:
        server.stop()
    assert [r["ok"] for r in reports] == [45, 45]
    assert [r["errors"] for r in reports] == [[], []]
    assert [r["redis_warnings"] for r in reports] == [1, 1]  # one WARNING per outage
    assert [r["redis_down_at_end"] for r in reports] == [False, False]  # back on Redis


async def test_two_tenants_on_one_redis_have_independent_budgets(
    redis_server: RedisServer,
) -> None:
    async with _sandbox(seed=1) as one, _sandbox(seed=2) as two:
        tokens = []
        for sandbox in (one, two):
            async with sandbox.client() as client:  # a static token: its tenant is its hash
                await client.authenticate()
                tokens.append((await client._pipeline.tokens.get()).value)
        workers = [
            worker_args(
                base_url=s.base_url,
                auth={"token": t},
                requests=30,
                redis_url=redis_server.url,
                budget=(BUDGET, WINDOW),
            )
            for s, t in ((one, tokens[0]), (two, tokens[1]))
            for _ in range(2)
        ]
        reports = await _run(workers)
        logs = [list(one.log), list(two.log)]
    assert [r["ok"] for r in reports] == [30, 30, 30, 30]
    for log in logs:
        assert count(log, status=429) == 0
        first = admitted_per_window(log, WINDOW)[:1] or [0]
        assert first[0] >= 27  # each tenant ran at its own full budget, not half of one


async def test_a_token_expired_mid_run_is_minted_once_for_the_fleet(
    redis_server: RedisServer,
) -> None:
    async with SandboxServer(receipts=100, tenant_limit=RateTier(300, window=3.0)) as sandbox:
        sandbox.fault("/receipts/*", expire_token=True, attempts=[20, 90])
        reports = await _run(
            [
                worker_args(
                    base_url=sandbox.base_url,
                    auth=sandbox.credentials.auth_body(),
                    requests=40,
                    redis_url=redis_server.url,
                    budget=(300, 3.0),
                )
                for _ in range(4)
            ]
        )
        log = list(sandbox.log)
    assert [r["ok"] for r in reports] == [40, 40, 40, 40]
    assert count(log, path="/auth") <= 3  # the first mint, then at most one per expiry
    assert count(log, path="/auth") >= 2

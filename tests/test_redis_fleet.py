"""A fleet of real OS processes sharing one Redis against one sandbox (issue 14 scenarios).

Workers are forked by ``benchmarks._fleet_worker`` (imports paid once per session);
the sandbox runs in this process with a small tenant budget (30 per 1 s) so the
runs stay short; each test has a Redis namespace of its own on the module's server. Counts come from
the sandbox's own log: admitted requests per window, 429s, ``POST /auth`` calls.
"""

from __future__ import annotations

import asyncio
import itertools

import redis.asyncio

from benchmarks._fleet import Fleet, worker_args
from benchmarks._redis_server import RedisServer
from clopos_async._tenant import LEASE_MARGIN
from clopos_async.redis import RedisBackend
from clopos_async.testing import RateTier, SandboxServer
from tests.redis_support import admitted_per_window, count, redis_server

__all__ = ["redis_server"]

BUDGET, WINDOW = 30, 1.0
#: The budget-use test keeps 3 s windows: the server's ``RateLimit-Reset`` is whole
#: seconds, and the hold it sets after a window's last slot costs up to a second of it.
SHARE_WINDOW = 3.0
_namespaces = itertools.count()


def _namespace() -> str:
    return f"fleet{next(_namespaces)}"


def _sandbox(window: float = WINDOW, **kwargs: object) -> SandboxServer:
    return SandboxServer(receipts=100, tenant_limit=RateTier(BUDGET, window=window), **kwargs)  # type: ignore[arg-type]


def _args(
    sandbox: SandboxServer,
    requests: int,
    url: str | None,
    namespace: str,
    window: float = WINDOW,
    **kwargs: object,
) -> list[str]:
    return worker_args(
        base_url=sandbox.base_url,
        auth=sandbox.credentials.auth_body(),
        requests=requests,
        redis_url=url,
        budget=(BUDGET, window),
        namespace=namespace,
        **kwargs,  # type: ignore[arg-type]
    )


async def _run(workers: list[list[str]]) -> list[dict[str, object]]:
    fleet = await Fleet.start(workers)
    fleet.go()
    return await fleet.results()


async def test_four_processes_share_one_budget_and_one_token(redis_server: RedisServer) -> None:
    async with _sandbox(SHARE_WINDOW) as sandbox:
        ns = _namespace()
        reports = await _run(
            [_args(sandbox, 40, redis_server.url, ns, SHARE_WINDOW) for _ in range(4)]
        )
        log = list(sandbox.log)
    assert [r["ok"] for r in reports] == [40, 40, 40, 40]
    assert count(log, status=429) == 0
    assert count(log, path="/auth") == 1
    windows = admitted_per_window(log, SHARE_WINDOW)
    assert len(windows) >= 4
    assert sum(windows) / (len(windows) * BUDGET) >= 0.9, windows


async def test_control_in_memory_backends_collide() -> None:
    async with _sandbox() as sandbox:
        reports = await _run([_args(sandbox, 12, None, "unused") for _ in range(4)])
        log = list(sandbox.log)
    assert count(log, status=429) > 0  # 48 in one burst against 30
    assert count(log, path="/auth") == 4  # one token per process
    assert sum(int(r["rate_limited"]) for r in reports) == count(log, status=429)  # type: ignore[call-overload]


async def test_kill_9_of_a_slot_holder_leaves_the_others_running(
    redis_server: RedisServer,
) -> None:
    ns, timeout = _namespace(), 1.5
    raw = redis.asyncio.Redis.from_url(redis_server.url)
    inflight = f"{ns}:rl:tenant:test_sandbox:sandbox:inflight"
    async with _sandbox() as sandbox:
        # The victim's requests outlive it (and its 1.5 s timeout: it dies holding them).
        sandbox.fault("/receipts/7", delay=3.0)
        victim = _args(sandbox, 8, redis_server.url, ns, ids=(7, 7), timeout=timeout)
        others = _args(sandbox, 24, redis_server.url, ns, ids=(10, 100))
        fleet = await Fleet.start([victim, others, others, others])
        fleet.go([0])
        while await raw.zcard(inflight) < 8:  # noqa: ASYNC110 - another process's state
            await asyncio.sleep(0.02)
        fleet.kill(0)  # while it holds 8 of the 30 slots
        killed = asyncio.get_running_loop().time()
        fleet.go([1, 2, 3])
        reports = await fleet.results(skip=[0])
        log = list(sandbox.log)
    # The budget recovers within the lease (the victim's timeout + the margin): wait
    # that long from the kill, then one reservation reclaims all eight dead slots.
    lease = timeout + LEASE_MARGIN
    await asyncio.sleep(max(0.0, killed + lease + 0.1 - asyncio.get_running_loop().time()))
    backend = RedisBackend.from_url(redis_server.url, namespace=ns)
    scoped = backend.for_client(tenant="test_sandbox:sandbox", auth="c", lease=lease)
    granted = await scoped.reserve("tenant", BUDGET, WINDOW)
    left = await raw.zcard(inflight)
    await backend.aclose()
    await raw.aclose()
    assert [r["ok"] for r in reports] == [24, 24, 24]
    assert count(log, status=429) == 0
    assert granted.slot is not None
    assert left == 1  # only the slot just granted: the eight dead ones were reclaimed


async def test_redis_stopped_and_restarted_mid_run_loses_no_request() -> None:
    server, ns = RedisServer(), _namespace()
    server.start()

    def started(ids: range, after: int = 0) -> int:  # requests of one worker in the log
        return sum(
            1
            for e in log[after:]
            if e.path.startswith("/receipts/") and int(e.path.split("/")[-1]) in ids
        )

    try:
        async with _sandbox() as sandbox:
            log = sandbox.log
            halves = (range(1, 51), range(51, 101))
            fleet = await Fleet.start(
                [
                    _args(sandbox, 90, server.url, ns, ids=(h[0], h[-1]), probe_interval=0.2)
                    for h in halves
                ]
            )
            fleet.go()
            while min(started(h) for h in halves) < 10:  # noqa: ASYNC110
                await asyncio.sleep(0.02)
            server.stop()
            mark = len(log)
            while min(started(h, mark) for h in halves) < 10:  # noqa: ASYNC110 - both see it
                await asyncio.sleep(0.02)
            server.start()
            reports = await fleet.results()
    finally:
        server.stop()
    assert [r["ok"] for r in reports] == [90, 90]
    assert [r["errors"] for r in reports] == [[], []]
    assert [r["redis_warnings"] for r in reports] == [1, 1]  # one WARNING per outage
    assert [r["redis_down_at_end"] for r in reports] == [False, False]  # back on Redis


async def test_two_tenants_on_one_redis_have_independent_budgets(
    redis_server: RedisServer,
) -> None:
    ns = _namespace()
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
                namespace=ns,
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
    ns = _namespace()
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
                    namespace=ns,
                )
                for _ in range(4)
            ]
        )
        log = list(sandbox.log)
    assert [r["ok"] for r in reports] == [40, 40, 40, 40], [r["errors"] for r in reports]
    assert count(log, path="/auth") <= 3  # the first mint, then at most one per expiry
    assert count(log, path="/auth") >= 2

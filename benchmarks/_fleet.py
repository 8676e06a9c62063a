"""A fleet of worker processes against one sandbox: the parent's handle and the child.

One job: run K real OS processes that each make N receipt requests through a
``CloposClient`` (with a ``RedisBackend`` or the in-memory one) and report
what they saw as one JSON line. The Redis tests and the fleet benchmark share it.

Parent: ``fleet = await Fleet.start([args, ...])`` waits until every worker is
ready (imports done, client built), ``fleet.go()`` releases them at once,
``await fleet.results()`` collects their reports; ``fleet.kill(i)`` is kill -9.
Child: ``python -m benchmarks._fleet --base-url URL --client-id ... --requests N``.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import logging
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from clopos_async.testing import LoggedRequest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 60.0


class Fleet:
    """Worker processes started together and released together."""

    def __init__(self, processes: list[asyncio.subprocess.Process]) -> None:
        self.processes = processes

    @classmethod
    async def start(cls, workers: Sequence[Sequence[str]]) -> Fleet:
        """Start one worker per argument list and wait until all are ready."""
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT), *sys.path])}
        processes = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "benchmarks._fleet",
                *args,
                cwd=PROJECT_ROOT,
                env=env,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
            )
            for args in workers
        ]
        fleet = cls(processes)
        for process in processes:
            assert process.stdout is not None
            line = await asyncio.wait_for(process.stdout.readline(), READY_TIMEOUT)
            if line.strip() != b"ready":
                fleet.kill_all()
                raise RuntimeError(f"a worker failed to start (exit {await process.wait()})")
        return fleet

    def go(self) -> None:
        """Release every worker at once."""
        for process in self.processes:
            assert process.stdin is not None
            process.stdin.write(b"go\n")

    def kill(self, index: int) -> None:
        """``kill -9`` one worker, by its pid."""
        os.kill(self.processes[index].pid, signal.SIGKILL)

    def kill_all(self) -> None:
        for process in self.processes:
            if process.returncode is None:
                os.kill(process.pid, signal.SIGKILL)

    async def results(self, skip: Sequence[int] = ()) -> list[dict[str, Any]]:
        """Each worker's report, in start order (``skip``: the killed ones, not read)."""
        reports = []
        for index, process in enumerate(self.processes):
            assert process.stdout is not None
            output = await process.stdout.read()
            await process.wait()
            if index not in skip:
                reports.append(orjson.loads(output.strip().splitlines()[-1]))
        return reports


def worker_args(
    *,
    base_url: str,
    auth: dict[str, str],
    requests: int,
    redis_url: str | None = None,
    concurrency: int = 8,
    timeout: float = 30.0,
    ids: tuple[int, int] = (1, 100),
    budget: tuple[int, float] = (300, 60.0),
) -> list[str]:
    """The command line of one worker (``auth``: four credential strings, or a ``token``)."""
    args = [
        f"--base-url={base_url}",
        f"--requests={requests}",
        f"--concurrency={concurrency}",
        f"--timeout={timeout}",
        f"--ids={ids[0]}:{ids[1]}",
        f"--budget={budget[0]}",
        f"--window={budget[1]}",
    ]
    args += [f"--{name.replace('_', '-')}={value}" for name, value in auth.items()]
    if redis_url is not None:
        args.append(f"--redis-url={redis_url}")
    return args


def admitted_per_window(log: Sequence[LoggedRequest], window: float) -> list[int]:
    """Admitted receipt requests in each whole window from the first admitted one."""
    times = sorted(e.started for e in log if e.path.startswith("/receipts") and e.status == 200)
    if not times:
        return []
    whole = int((times[-1] - times[0]) // window)
    edges = [times[0] + k * window for k in range(whole + 1)]
    return [
        bisect.bisect_left(times, edges[k + 1]) - bisect.bisect_left(times, edges[k])
        for k in range(whole)
    ]


def count(
    log: Sequence[LoggedRequest], *, path: str | None = None, status: int | None = None
) -> int:
    return sum(
        1
        for e in log
        if (path is None or e.path == path) and (status is None or e.status == status)
    )


# --- the child -------------------------------------------------------------------------------


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.redis_warnings = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "Redis" in record.getMessage():
            self.redis_warnings += 1


def _client(args: argparse.Namespace, backend: Any) -> Any:
    from clopos_async import CloposClient, Credentials, RateLimit

    auth: dict[str, Any] = (
        {"token": args.token}
        if args.token
        else {
            "credentials": Credentials(
                client_id=args.client_id,
                client_secret=args.client_secret,
                brand=args.brand,
                integrator_id=args.integrator_id,
            )
        }
    )
    return CloposClient(
        base_url=args.base_url,
        timeout=args.timeout,
        token_store=backend,
        rate_limit=RateLimit(
            requests=args.budget, window=args.window, auth_requests=args.budget, backend=backend
        ),
        max_concurrency=args.concurrency,
        **auth,
    )


async def _work(client: Any, args: argparse.Namespace) -> tuple[int, list[str]]:
    first, last = (int(x) for x in args.ids.split(":"))
    todo = iter(range(args.requests))
    ok, errors = 0, []

    async def loop() -> None:
        nonlocal ok
        for n in todo:
            try:
                await client.receipts.get(first + n % (last - first + 1))
                ok += 1
            except Exception as exc:
                errors.append(type(exc).__name__)

    await asyncio.gather(*(loop() for _ in range(args.concurrency)))
    return ok, errors


async def _run(args: argparse.Namespace) -> dict[str, Any]:
    counter = _Count()
    logging.getLogger("clopos_async").addHandler(counter)
    backend = None
    if args.redis_url:
        from clopos_async.redis import RedisBackend

        backend = RedisBackend.from_url(args.redis_url)
    client = _client(args, backend)
    loop = asyncio.get_running_loop()
    print("ready", flush=True)
    await loop.run_in_executor(None, sys.stdin.readline)
    started = time.perf_counter()
    async with client:
        ok, errors = await _work(client, args)
    seconds = time.perf_counter() - started
    if backend is not None:
        await backend.aclose()
    stats = client.stats
    return {
        "ok": ok,
        "errors": errors,
        "seconds": seconds,
        "requests": stats.requests,
        "rate_limited": stats.rate_limited,
        "token_refreshes": stats.token_refreshes,
        "redis_warnings": counter.redis_warnings,
        "outages": backend.health.outages if backend is not None else 0,
        "redis_down_at_end": backend.health.down if backend is not None else False,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="One worker of a fleet sharing a budget.")
    for name in (
        "--base-url",
        "--client-id",
        "--client-secret",
        "--brand",
        "--integrator-id",
        "--token",
        "--redis-url",
        "--ids",
    ):
        parser.add_argument(name, default="")
    for name in ("--requests", "--concurrency", "--budget"):
        parser.add_argument(name, type=int, required=True)
    for name in ("--timeout", "--window"):
        parser.add_argument(name, type=float, required=True)
    report = asyncio.run(_run(parser.parse_args(argv)))
    sys.stdout.write(orjson.dumps(report).decode() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

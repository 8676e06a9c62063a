"""One fleet worker, forked from a zygote that has already imported the client.

One job: the child side of ``benchmarks._fleet``. ``python -m benchmarks._fleet_worker``
is the zygote: it imports ``clopos_async`` and ``clopos_async.redis`` once (about
two seconds of CPU on a loaded machine), then reads one JSON line per worker from
stdin and forks a real OS process for it, so a fleet starts in milliseconds. The
zygote is single-threaded and runs no event loop, which is what makes fork safe.

A worker connects to the parent's loopback port, sends ``{"index", "pid"}`` once
its client is built, waits for ``go``, runs N receipt requests through a
``CloposClient`` (with a ``RedisBackend`` or the in-memory one) and sends its
report as one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import signal
import sys
import time
import traceback
from typing import Any

import orjson

from clopos_async import CloposClient, Credentials, RateLimit
from clopos_async.redis import RedisBackend


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.redis_warnings = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "Redis" in record.getMessage():
            self.redis_warnings += 1


def _client(args: argparse.Namespace, backend: RedisBackend | None) -> CloposClient:
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


async def _work(client: CloposClient, args: argparse.Namespace) -> tuple[int, list[str]]:
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


async def _run(args: argparse.Namespace, port: int, index: int) -> None:
    counter = _Count()
    logging.getLogger("clopos_async").addHandler(counter)
    backend = None
    if args.redis_url:
        backend = RedisBackend.from_url(
            args.redis_url, namespace=args.namespace, probe_interval=args.probe_interval
        )
    client = _client(args, backend)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(orjson.dumps({"index": index, "pid": os.getpid()}) + b"\n")
    await reader.readline()  # "go"
    started = time.perf_counter()
    async with client:
        ok, errors = await _work(client, args)
    seconds = time.perf_counter() - started
    if backend is not None:
        await backend.aclose()
    stats = client.stats
    report = {
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
    writer.write(orjson.dumps(report) + b"\n")
    await writer.drain()
    writer.close()


def parse(argv: list[str]) -> argparse.Namespace:
    """A worker's command line, as built by ``benchmarks._fleet.worker_args``."""
    parser = argparse.ArgumentParser(description="One worker of a fleet sharing a budget.")
    for name in ("--base-url", "--client-id", "--client-secret", "--brand", "--integrator-id"):
        parser.add_argument(name, default="")
    for name in ("--token", "--redis-url", "--ids"):
        parser.add_argument(name, default="")
    parser.add_argument("--namespace", default="clopos")
    for name in ("--requests", "--concurrency", "--budget"):
        parser.add_argument(name, type=int, required=True)
    for name in ("--timeout", "--window", "--probe-interval"):
        parser.add_argument(name, type=float, required=True)
    return parser.parse_args(argv)


def _child(request: dict[str, Any]) -> None:
    """The forked worker: never returns."""
    code = 0
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.close(0)  # the zygote's stdin stays the zygote's
        random.seed()  # forked children would otherwise share the zygote's jitter
        asyncio.run(_run(parse(request["argv"]), request["port"], request["index"]))
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        sys.stderr.flush()
        os._exit(code)  # never unwind into the zygote's loop


def serve() -> None:
    """The zygote: fork one worker per JSON line on stdin, until stdin closes."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers
    for line in sys.stdin.buffer:
        request = orjson.loads(line)
        if os.fork() == 0:
            _child(request)


if __name__ == "__main__":
    serve()

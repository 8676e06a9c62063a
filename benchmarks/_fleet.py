"""A fleet of worker processes against one sandbox: the parent's handle.

One job: run K real OS processes that each make N receipt requests through a
``CloposClient`` (with a ``RedisBackend`` or the in-memory one) and collect
what they saw. The Redis tests and the fleet benchmark share it.

``fleet = await Fleet.start([args, ...])`` waits until every worker is ready
(client built), ``fleet.go()`` releases them at once, ``await fleet.results()``
collects their reports; ``fleet.kill(i)`` is kill -9 by pid. Workers are forked
by one zygote per parent process (``benchmarks._fleet_worker``), which imports
the client once: starting a worker costs a fork, not two seconds of imports.
"""

from __future__ import annotations

import asyncio
import atexit
import bisect
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import orjson

from clopos_async.testing import LoggedRequest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 60.0  # the first fleet also waits for the zygote's imports

_zygote: subprocess.Popen[bytes] | None = None


def _fork(request: dict[str, Any]) -> None:
    """Ask the zygote (started on first use, ended at exit) to fork one worker."""
    global _zygote
    if _zygote is None or _zygote.poll() is not None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT), *sys.path])}
        _zygote = subprocess.Popen(
            [sys.executable, "-m", "benchmarks._fleet_worker"],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.PIPE,
        )
        atexit.register(_stop_zygote, _zygote)
    assert _zygote.stdin is not None
    _zygote.stdin.write(orjson.dumps(request) + b"\n")
    _zygote.stdin.flush()


def _stop_zygote(zygote: subprocess.Popen[bytes]) -> None:
    if zygote.stdin is not None:
        zygote.stdin.close()  # end of its input: it exits
    zygote.wait()


class _Worker:
    def __init__(self, pid: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.pid, self.reader, self.writer = pid, reader, writer


class Fleet:
    """Worker processes started together and released together."""

    def __init__(self, workers: list[_Worker]) -> None:
        self._workers = workers

    @property
    def pids(self) -> list[int]:
        return [w.pid for w in self._workers]

    @classmethod
    async def start(cls, workers: Sequence[Sequence[str]]) -> Fleet:
        """Fork one worker per argument list and wait until all are ready."""
        arrived: dict[int, _Worker] = {}
        all_ready = asyncio.Event()

        async def hello(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            line = orjson.loads(await reader.readline())
            arrived[line["index"]] = _Worker(line["pid"], reader, writer)
            if len(arrived) == len(workers):
                all_ready.set()

        server = await asyncio.start_server(hello, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        for index, args in enumerate(workers):
            _fork({"port": port, "index": index, "argv": list(args)})
        try:
            await asyncio.wait_for(all_ready.wait(), READY_TIMEOUT)
        except asyncio.TimeoutError:
            cls(list(arrived.values())).kill_all()
            missing = len(workers) - len(arrived)
            raise RuntimeError(f"{missing} worker(s) failed to start") from None
        finally:
            server.close()
        return cls([arrived[i] for i in range(len(workers))])

    def go(self, indexes: Iterable[int] | None = None) -> None:
        """Release the workers (``indexes``: only these) at once."""
        chosen = range(len(self._workers)) if indexes is None else indexes
        for index in chosen:
            self._workers[index].writer.write(b"go\n")

    def kill(self, index: int) -> None:
        """``kill -9`` one worker, by its pid."""
        os.kill(self._workers[index].pid, signal.SIGKILL)

    def kill_all(self) -> None:
        for worker in self._workers:
            with contextlib.suppress(ProcessLookupError):  # it had finished
                os.kill(worker.pid, signal.SIGKILL)

    async def results(self, skip: Sequence[int] = ()) -> list[dict[str, Any]]:
        """Each worker's report, in start order (``skip``: the killed ones, not read)."""
        reports = []
        for index, worker in enumerate(self._workers):
            if index not in skip:
                line = await worker.reader.readline()
                if not line:
                    raise RuntimeError(f"worker {index} (pid {worker.pid}) died without a report")
                reports.append(orjson.loads(line))
            worker.writer.close()
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
    namespace: str = "clopos",
    probe_interval: float = 1.0,
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
        f"--namespace={namespace}",
        f"--probe-interval={probe_interval}",
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

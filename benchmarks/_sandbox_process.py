"""Run a ``SandboxServer`` in a child process, so its CPU and memory stay out of the figures.

One job: start the sandbox in another Python process and hand the parent its
address and credentials. The child prints one JSON line when it listens, then
serves until its stdin closes (so it also ends if the parent dies).

Parent side: ``async with SandboxProcess(receipts=2000, latency=0.05) as sandbox:``
then ``sandbox.client(...)`` or ``sandbox.base_url`` / ``sandbox.credentials``.
Child side: ``python -m benchmarks._sandbox_process --receipts N [--latency S]``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson

from clopos_async import CloposClient, Credentials

#: The directory holding the ``benchmarks`` package: the child's working directory.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 180.0  # seconds; generating 100k receipts takes a few
STOP_TIMEOUT = 10.0


class SandboxProcess:
    """A sandbox serving on loopback from a child process, every rate-limit tier off.

    The tiers are off because the figures measured against it are about the SDK's
    own cost; the rate-limit benchmark runs its sandbox in-process, with its tier on.
    """

    def __init__(self, *, receipts: int, latency: float = 0.0, seed: int = 0) -> None:
        self._arguments = [f"--receipts={receipts}", f"--latency={latency}", f"--seed={seed}"]
        self._process: asyncio.subprocess.Process | None = None
        self.base_url = ""
        self.credentials: Credentials | None = None

    async def __aenter__(self) -> SandboxProcess:
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "benchmarks._sandbox_process",
            *self._arguments,
            cwd=PROJECT_ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        try:
            await self._read_ready_line(self._process)
        except BaseException:
            await self._stop()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._stop()

    def client(self, **options: Any) -> CloposClient:
        """A ``CloposClient`` pointed at this sandbox with its credentials."""
        return CloposClient(credentials=self.credentials, base_url=self.base_url, **options)

    async def _read_ready_line(self, process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), READY_TIMEOUT)
        if not line:
            raise RuntimeError(f"the sandbox child exited early (code {await process.wait()})")
        ready = orjson.loads(line)
        self.base_url = ready["base_url"]
        self.credentials = Credentials(**ready["credentials"])

    async def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()  # the child's cue to stop
        try:
            await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
        except asyncio.TimeoutError:
            process.kill()
            await process.wait()


# --- the child -----------------------------------------------------------------------------


async def serve(receipts: int, latency: float, seed: int) -> None:
    """Serve until stdin reaches end of file; print the ready line first."""
    from clopos_async.testing import SandboxServer

    server = SandboxServer(
        receipts=receipts,
        seed=seed,
        latency=latency,
        auth_limit=None,
        flood_limit=None,  # its headers would clamp the client's budget (API §7)
        tenant_limit=None,
    )
    async with server:
        ready = {"base_url": server.base_url, "credentials": server.credentials.auth_body()}
        sys.stdout.buffer.write(orjson.dumps(ready) + b"\n")
        sys.stdout.flush()
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.buffer.read)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the clopos sandbox for a benchmark.")
    parser.add_argument("--receipts", type=int, required=True)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    asyncio.run(serve(args.receipts, args.latency, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``clopos-async sandbox``: serve the API simulator on a port until Ctrl-C.

Stdout is shell-ready: ``export CLOPOS_...=...`` lines (the sandbox's own fixed
test credentials, not secrets) and ``#`` comments, so a second terminal can
``eval`` them, and a curl user can copy the commented example.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import sys
from typing import TYPE_CHECKING

import orjson

from clopos_async.cli._failures import EXIT_OK, Failure, Interrupted
from clopos_async.cli._interrupt import run_interruptible

if TYPE_CHECKING:
    from clopos_async.testing import SandboxServer


async def sandbox_command(args: argparse.Namespace) -> int:
    """Serve until SIGINT; a stop by Ctrl-C is this command's normal end (exit 0)."""
    from clopos_async.testing import SandboxServer

    server = SandboxServer(receipts=args.receipts, seed=args.seed, host=args.host, port=args.port)
    try:
        await run_interruptible(_serve(server, args))
    except Interrupted:
        print("# sandbox stopped", flush=True)
    return EXIT_OK


async def _serve(server: SandboxServer, args: argparse.Namespace) -> None:
    try:
        await server.start()
    except OSError as exc:
        raise Failure(f"cannot serve on {args.host}:{args.port}: {exc.strerror}") from None
    try:
        sys.stdout.write(banner(server, args))
        sys.stdout.flush()
        await asyncio.Event().wait()  # forever: only Ctrl-C (a cancellation) ends it
    finally:
        await server.stop()


def banner(server: SandboxServer, args: argparse.Namespace) -> str:
    """The base URL, the CLOPOS_* lines and a curl example, one per line."""
    credentials = server.credentials
    variables = {
        "CLOPOS_BASE_URL": server.base_url,
        "CLOPOS_CLIENT_ID": credentials.client_id,
        "CLOPOS_CLIENT_SECRET": credentials.client_secret,
        "CLOPOS_BRAND": credentials.brand,
        "CLOPOS_INTEGRATOR_ID": credentials.integrator_id,
    }
    auth_body = orjson.dumps(credentials.auth_body()).decode()
    lines = [
        f"# Clopos sandbox: {args.receipts} receipts (seed {args.seed}) at {server.base_url}",
        "# Ctrl-C to stop. In another shell, paste these lines, then run clopos-async:",
        *(f"export {name}={shlex.quote(value)}" for name, value in variables.items()),
        '# curl: token=$(curl -s -X POST "$CLOPOS_BASE_URL/auth" '
        f"-H 'Content-Type: application/json' -d {shlex.quote(auth_body)} "
        "| python -c 'import json,sys; print(json.load(sys.stdin)[\"token\"])')",
        '# curl -s "$CLOPOS_BASE_URL/receipts?limit=2" -H "x-token: $token"',
    ]
    return "\n".join(lines) + "\n"

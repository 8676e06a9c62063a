"""Where a command's receipts come from: the ``CLOPOS_*`` environment or an embedded sandbox."""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from clopos_async import DEFAULT_BASE_URL, CloposClient, RetryPolicy

if TYPE_CHECKING:
    from clopos_async.testing import SandboxServer

#: The SDK's default cap on requests in flight (DESIGN §1).
DEFAULT_MAX_CONCURRENCY = 8


@contextlib.asynccontextmanager
async def open_client(
    args: argparse.Namespace, *, concurrency: int = 1
) -> AsyncIterator[CloposClient]:
    """A started client: ``--sandbox`` serves one in-process, else ``CloposClient.from_env()``.

    ``concurrency`` is how many requests the command keeps in flight; the client's
    own cap is raised to match so that ``--concurrency`` means what it says.
    """
    async with open_source(args, concurrency=concurrency) as (clopos, _):
        yield clopos


@contextlib.asynccontextmanager
async def open_source(
    args: argparse.Namespace, *, concurrency: int = 1
) -> AsyncIterator[tuple[CloposClient, SandboxServer | None]]:
    """``open_client``, plus the embedded sandbox itself (None without ``--sandbox``).

    ``watch --sandbox`` uses the sandbox to make changes for the feed to show.
    """
    options = {
        "timeout": args.timeout,
        "retry": RetryPolicy(max_attempts=args.max_attempts),
        "max_concurrency": max(DEFAULT_MAX_CONCURRENCY, concurrency),
    }
    if not args.sandbox:
        async with CloposClient.from_env(**options) as clopos:
            yield clopos, None
        return
    # Imported here: plain API use should not pay for building the simulator.
    from clopos_async.testing import SandboxServer

    sandbox = SandboxServer(
        receipts=args.sandbox_receipts, seed=args.sandbox_seed, latency=args.sandbox_latency
    )
    async with sandbox:
        client = CloposClient(credentials=sandbox.credentials, base_url=sandbox.base_url, **options)
        async with client as clopos:
            yield clopos, sandbox


def api_host(args: argparse.Namespace) -> str:
    """The host a command talks to, for error messages (``integrations.clopos.com``).

    Args:
        args: the parsed command line.

    Returns:
        ``CLOPOS_BASE_URL``'s host (the default API's without it), or "the embedded
        sandbox" with ``--sandbox``.
    """
    if getattr(args, "sandbox", False):  # the sandbox command has no --sandbox
        return "the embedded sandbox"
    url = os.environ.get("CLOPOS_BASE_URL") or DEFAULT_BASE_URL
    return urlsplit(url).netloc or url

"""``clopos-async watch receipts``: print each new or changed item as one JSON line.

The feed is ``receipts.watch()`` (DESIGN §8). Each event is the item's wire shape on
one stdout line, flushed at once. The checkpoint is written to ``--checkpoint-file``
after every event (atomically: a crash leaves the old or the new one, never half),
and on Ctrl-C it is saved and printed on stderr, so ``--since`` or the file resumes
with nothing missed and nothing repeated. With ``--sandbox`` the embedded sandbox
changes a receipt every ``--sandbox-changes`` seconds, so there is something to see.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from clopos_async import CloposClient, converter
from clopos_async._watch import Watcher
from clopos_async.cli._failures import EXIT_OK, Failure, Interrupted
from clopos_async.cli._interrupt import run_interruptible
from clopos_async.cli._output import say
from clopos_async.cli._source import open_source

if TYPE_CHECKING:
    from clopos_async.testing import SandboxServer

#: What can be watched, and how: one line per resource.
FEEDS: dict[str, Callable[[CloposClient, dict[str, Any]], Watcher[Any]]] = {
    "receipts": lambda clopos, options: clopos.receipts.watch(**options),
    "orders": lambda clopos, options: clopos.orders.watch(**options),
}


async def watch_command(args: argparse.Namespace) -> int:
    """Follow ``args.resource`` until Ctrl-C; save and print the checkpoint then."""
    since = _starting_point(args)
    holder: list[Watcher[Any]] = []
    try:
        await run_interruptible(_follow(args, since, holder))
    except Interrupted:
        if holder:
            _save(args.checkpoint_file, holder[0].checkpoint)
            say(f"checkpoint {holder[0].checkpoint}")
        raise
    return EXIT_OK


def _starting_point(args: argparse.Namespace) -> str | None:
    """``--since``, else the checkpoint file's content, else None (from now)."""
    if args.since is not None:
        return str(args.since)
    path = args.checkpoint_file
    if path is None or not Path(path).exists():
        return None
    try:
        return Path(path).read_text(encoding="utf-8").strip() or None
    except OSError as exc:
        raise Failure(f"cannot read --checkpoint-file {path}: {exc.strerror}") from None


async def _follow(args: argparse.Namespace, since: str | None, holder: list[Watcher[Any]]) -> None:
    async with open_source(args) as (clopos, sandbox):
        options: dict[str, Any] = {"since": since, "interval": args.interval}
        watcher = FEEDS[args.resource](clopos, options)
        holder.append(watcher)
        async with _changes(sandbox, args.sandbox_changes):
            async for item in watcher:
                sys.stdout.buffer.write(
                    orjson.dumps(converter.unstructure(item), option=orjson.OPT_APPEND_NEWLINE)
                )
                sys.stdout.buffer.flush()
                _save(args.checkpoint_file, watcher.checkpoint)


@contextlib.asynccontextmanager
async def _changes(sandbox: SandboxServer | None, every: float) -> AsyncIterator[None]:
    """With the embedded sandbox: a "POS" that touches a random receipt every ``every`` s."""
    if sandbox is None or every <= 0:
        yield
        return
    task = asyncio.create_task(_touch_forever(sandbox, every))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _touch_forever(sandbox: SandboxServer, every: float) -> None:
    rng = random.Random(0)
    ids = sandbox.receipt_ids()
    while True:
        await asyncio.sleep(every)
        sandbox.touch(rng.choice(ids))


def _save(path: str | None, checkpoint: str) -> None:
    if path is None:
        return
    temporary = f"{path}.tmp"
    try:
        Path(temporary).write_text(checkpoint + "\n", encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        raise Failure(f"cannot write --checkpoint-file {path}: {exc.strerror}") from None

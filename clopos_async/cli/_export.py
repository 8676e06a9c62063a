"""``clopos-async export``: stream a date range of receipts to JSONL or CSV.

Receipts are swept oldest first (``sort=created_at``, ascending) so receipts
created during the export land on later pages instead of shifting the pages
already written. Each page is written whole and flushed before the next one is
taken, so the output always ends on a complete line, whatever stops the export;
the stop message says how to resume (``--page N --limit L``). The output is opened
only when the first page has arrived, and a resume (``--page`` > 1) appends to it
without a second CSV header, so following that advice with the same ``--out``
completes the file: every receipt exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from collections.abc import AsyncIterator

import attrs

from clopos_async import ClientValueError, CloposClient, CloposError, Page, Receipt
from clopos_async.cli._failures import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    Failure,
    Interrupted,
    failure_from,
)
from clopos_async.cli._interrupt import run_interruptible
from clopos_async.cli._output import STDOUT, DeferredSink, say
from clopos_async.cli._progress import Progress, Snapshot
from clopos_async.cli._source import api_host, open_client
from clopos_async.cli._writers import WRITERS, Writer


@attrs.define(kw_only=True, slots=True)
class ExportState:
    """How far an export got: what was written, and the first page not yet written.

    Page numbers only mean something together with the page size, so the resume
    advice names both (``--page N --limit L``).
    """

    next_page: int
    limit: int
    to_stdout: bool
    pages: int = 0
    receipts: int = 0

    def record(self, page: Page[Receipt], next_page: int) -> None:
        """Count ``page`` as written; ``next_page`` is the first page not yet written."""
        self.pages += 1
        self.receipts += len(page.items)
        self.next_page = next_page

    def where(self) -> str:
        """How far it got, and how to go on when there is something to go on from."""
        done = f"wrote {self.receipts} receipts ({_plural(self.pages, 'page')})"
        if self.next_page == 1:
            return done  # nothing written, nothing to resume: run the same command again
        return f"{done}; next page {self.next_page}, {self.resume_advice()}"

    def resume_advice(self) -> str:
        """``resume with --page N --limit L``, and where the resumed output goes."""
        advice = f"resume with --page {self.next_page} --limit {self.limit}"
        if self.next_page == 1:
            return advice  # nothing to keep: page 1 starts the output over
        if self.to_stdout:
            return f"{advice} and append its output to what was written"
        return f"{advice} (the same --out appends)"


async def export_command(args: argparse.Namespace) -> int:
    """Run the export; report success, a failure or an interruption with how far it got."""
    state = ExportState(next_page=args.page, limit=args.limit, to_stdout=args.out == STDOUT)
    progress = Progress(None if args.quiet else sys.stderr, tty=sys.stderr.isatty())
    started = time.monotonic()
    try:
        client = await run_interruptible(_export(args, state, progress))
    except Interrupted:
        say(f"interrupted: {state.where()}")
        return EXIT_INTERRUPTED
    except CloposError as exc:
        context = "" if isinstance(exc, ClientValueError) else f" ({state.where()})"
        raise failure_from(exc, context=context, host=api_host(args)) from None
    except BrokenPipeError:
        raise  # the reader went away (``| head``): main exits quietly
    except OSError as exc:  # the output opened, then a write failed: exit 1 (_failures)
        raise Failure(f"cannot write {_target(args)}: {exc.strerror} ({state.where()})") from None
    if not args.quiet:
        say(_summary(args, state, client, time.monotonic() - started))
    return EXIT_OK


async def _export(args: argparse.Namespace, state: ExportState, progress: Progress) -> CloposClient:
    writer: Writer = WRITERS[args.format]()
    # Opened by the first write: a run that fails before any data leaves the file as it was.
    sink = DeferredSink(args.out, append=args.page > 1, header=writer.header())
    async with open_client(args, concurrency=args.concurrency) as clopos:
        pager = clopos.receipts.list(
            date_from=args.date_from,
            date_to=args.date_to,
            sort="created_at",
            order="asc",
            include=args.include,
            page=args.page,
            limit=args.limit,
            concurrency=args.concurrency,
        )
        with sink:
            try:
                async with _ticking(progress, clopos):
                    async for page in pager.pages():
                        sink.write(writer.encode(page.items))
                        state.record(page, pager.next_page)
                        progress.update(_snapshot(page, state, clopos))
            finally:
                progress.finish()
            sink.start()  # a finished export always leaves its output, even with no receipts
    return clopos


#: Seconds between two looks at the pacing state while pages are awaited.
TICK_SECONDS = 0.5


@contextlib.asynccontextmanager
async def _ticking(progress: Progress, clopos: CloposClient) -> AsyncIterator[None]:
    """Keep ``progress`` moving while no page arrives (pacing waits, API §7)."""

    async def tick() -> None:
        while True:
            await asyncio.sleep(TICK_SECONDS)
            progress.tick(clopos.stats)

    ticker = asyncio.create_task(tick())
    try:
        yield
    finally:
        ticker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticker


def _snapshot(page: Page[Receipt], state: ExportState, clopos: CloposClient) -> Snapshot:
    return Snapshot(
        page=page.page, page_count=page.page_count, receipts=state.receipts, stats=clopos.stats
    )


def _summary(
    args: argparse.Namespace, state: ExportState, clopos: CloposClient, elapsed: float
) -> str:
    target = _target(args)
    rate = state.receipts / elapsed if elapsed > 0 else 0.0
    stats = clopos.stats
    return (
        f"exported {state.receipts} receipts ({_plural(state.pages, 'page')}) to {target} "
        f"in {elapsed:.1f}s ({rate:.0f} receipts/s); requests {stats.requests}, "
        f"retries {stats.retries}, 429s {stats.rate_limited}, "
        f"waited {stats.rate_limit_wait_wall_seconds:.1f}s for the rate budget"
    )


def _target(args: argparse.Namespace) -> str:
    return "stdout" if args.out == STDOUT else str(args.out)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"

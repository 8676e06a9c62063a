r"""Progress reporting of ``clopos-async export`` on stderr.

On a terminal: one line redrawn in place with ``\r``, at most ``1 / interval``
times a second. Elsewhere (a log file, CI): plain lines, about ``lines`` of them
over the whole export, so logs stay readable and never hold a ``\r``.
Rate-limit headroom comes from ``ClientStats``: the requests the server's window
has left (its latest ``RateLimit-*`` headers, API §4), how long the client's own
pacing made requests wait (wall-clock time: concurrent waits count once), and how
many 429s the server answered (API §7).

Between pages, ``tick()`` keeps the display alive while the client waits for the
rate budget (a 300 requests/min budget can hold a fast export for most of a minute):
the line says it is waiting, and for how long so far.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TextIO

import attrs

from clopos_async import ClientStats, RateLimitInfo

_CLEAR_TO_END = "\x1b[K"

#: Off a terminal, one "waiting" line per this many seconds of a long pacing wait.
WAIT_LINE_INTERVAL = 10.0


@attrs.frozen(kw_only=True, slots=True)
class Snapshot:
    """Where an export stands after a page.

    Attributes:
        page: the page just written (0: none yet).
        page_count: the pages the newest ``total`` says exist (0 for an empty range).
        receipts: the receipts written so far.
        stats: the client's live counters.
    """

    page: int
    page_count: int
    receipts: int
    stats: ClientStats


def describe(snapshot: Snapshot, elapsed: float, *, now: float | None = None) -> str:
    """Render one progress line.

    For example ``page 3/25 | 600 receipts | 412.0 receipts/s | budget 287/300 | 429s 0,
    paced 2 (1.5s), retries 0``, followed by ``| waiting for the rate budget: 12s``
    while requests wait for a pacing slot. The ``budget`` part (requests left in the
    server's window, API §4 ``RateLimit-*``) is left out until a response carried it.

    Args:
        snapshot: where the export stands.
        elapsed: seconds since the export started, for the rate.
        now: the client clock's monotonic time, to count a pacing wait still under way;
            ``None`` counts only the waits that have ended.

    Returns:
        The line, without a line end.
    """
    stats = snapshot.stats
    rate = snapshot.receipts / elapsed if elapsed > 0 else 0.0
    waited = stats.rate_limit_wait_wall_seconds if now is None else stats.pacing_wall_seconds(now)
    line = (
        f"{_pages(snapshot)} | {snapshot.receipts} receipts | "
        f"{rate:.1f} receipts/s | {budget(stats.rate_limit)}429s {stats.rate_limited}, "
        f"paced {stats.rate_limit_waits} ({waited:.1f}s), retries {stats.retries}"
    )
    return line + waiting(stats, now)


def _pages(snapshot: Snapshot) -> str:
    if snapshot.page == 0:
        return "page -/?"
    # A total that grew, or a resume past the end, must never read as "page 99/25".
    return f"page {snapshot.page}/{max(snapshot.page, snapshot.page_count)}"


def waiting(stats: ClientStats, now: float | None) -> str:
    """``| waiting for the rate budget: 12s`` while a request waits; else empty.

    Args:
        stats: the client's live counters.
        now: the client clock's monotonic time (``None``: nothing is shown).

    Returns:
        The suffix, or ``""``.
    """
    if now is None or stats.pacing_since is None or stats.pacing_waiters == 0:
        return ""
    return f" | waiting for the rate budget: {max(now - stats.pacing_since, 0.0):.0f}s"


def budget(info: RateLimitInfo | None) -> str:
    """``budget 287/300 | ``: requests left of the window's limit; empty when unknown.

    Args:
        info: the latest ``RateLimit-*`` headers, if any response carried them.

    Returns:
        The fragment, or ``""``.
    """
    return "" if info is None else f"budget {info.remaining}/{info.limit} | "


class Progress:
    """Writes snapshots to ``stream``: redrawn on a TTY, plain lines otherwise.

    Args:
        stream: where to write; ``None`` (``--quiet``) reports nothing.
        tty: redraw one line in place instead of writing lines.
        clock: monotonic seconds; the same clock as the client's (pacing times).
        interval: least seconds between two redraws on a TTY.
        lines: about how many lines to write over a whole export off a TTY.
    """

    def __init__(
        self,
        stream: TextIO | None,
        *,
        tty: bool,
        clock: Callable[[], float] = time.monotonic,
        interval: float = 0.1,
        lines: int = 20,
    ) -> None:
        self._stream = stream
        self._tty = tty
        self._clock = clock
        self._interval = interval
        self._lines = lines
        self._started = clock()
        self._last_draw = -math.inf
        self._updates = 0
        self._latest: Snapshot | None = None
        self._shown: Snapshot | None = None
        self._showed_wait = False

    def update(self, snapshot: Snapshot) -> None:
        """Report the page just written (throttled).

        Args:
            snapshot: where the export stands now.
        """
        self._updates += 1
        self._latest = snapshot
        if self._tty:
            if self._clock() - self._last_draw >= self._interval:
                self._show(snapshot)
        elif self._updates % max(1, math.ceil(snapshot.page_count / self._lines)) == 0:
            self._show(snapshot)

    def tick(self, stats: ClientStats) -> None:
        """Between pages: show that requests wait for the rate budget, and for how long.

        On a TTY the line is redrawn while a wait lasts (and once more when it ends);
        off a TTY a line is written when a wait starts and every ``WAIT_LINE_INTERVAL``
        seconds while it lasts.

        Args:
            stats: the client's live counters.
        """
        now = self._clock()
        is_waiting = stats.pacing_waiters > 0 and stats.pacing_since is not None
        if not (is_waiting or (self._tty and self._showed_wait)):
            return
        snapshot = self._latest or Snapshot(page=0, page_count=0, receipts=0, stats=stats)
        if self._tty or now - self._last_draw >= WAIT_LINE_INTERVAL or not self._showed_wait:
            self._show(snapshot)

    def finish(self) -> None:
        """Show the latest snapshot if it was throttled away, and end a redrawn line."""
        latest = self._latest
        if latest is not None and latest is not self._shown:
            self._show(latest)
        if self._tty and self._shown is not None:
            self._write("\n")
        self._latest = self._shown = None

    def _show(self, snapshot: Snapshot) -> None:
        self._shown = snapshot
        now = self._clock()
        text = describe(snapshot, now - self._started, now=now)
        self._showed_wait = bool(waiting(snapshot.stats, now))
        self._last_draw = now
        if self._tty:
            self._write(f"\r{text}{_CLEAR_TO_END}")
        else:
            self._write(text + "\n")

    def _write(self, text: str) -> None:
        if self._stream is None:
            return
        self._stream.write(text)
        self._stream.flush()

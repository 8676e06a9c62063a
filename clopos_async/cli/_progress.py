"""Progress reporting of ``clopos-async export`` on stderr.

On a terminal: one line redrawn in place with ``\\r``, at most ``1 / interval``
times a second. Elsewhere (a log file, CI): plain lines, about ``lines`` of them
over the whole export, so logs stay readable and never hold a ``\\r``.
Rate-limit headroom comes from ``ClientStats``: the requests the server's window
has left (its latest ``RateLimit-*`` headers, API §4), how often the client's own
pacing made a request wait, and how many 429s the server answered (API §7).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TextIO

import attrs

from clopos_async import ClientStats, RateLimitInfo

_CLEAR_TO_END = "\x1b[K"


@attrs.frozen(kw_only=True, slots=True)
class Snapshot:
    """Where an export stands after a page."""

    page: int  # the page just written
    page_count: int  # pages the newest total says exist
    receipts: int  # receipts written so far
    stats: ClientStats


def describe(snapshot: Snapshot, elapsed: float) -> str:
    """``page 3/25 | 600 receipts | 412.0 receipts/s | budget 287/300 | 429s 0, ...``.

    The ``budget`` part (requests left in the server's window, API §4 ``RateLimit-*``)
    is left out until a response has carried those headers.
    """
    stats = snapshot.stats
    rate = snapshot.receipts / elapsed if elapsed > 0 else 0.0
    return (
        f"page {snapshot.page}/{snapshot.page_count} | {snapshot.receipts} receipts | "
        f"{rate:.1f} receipts/s | {budget(stats.rate_limit)}429s {stats.rate_limited}, "
        f"paced {stats.rate_limit_waits} ({stats.rate_limit_wait_seconds:.1f}s), "
        f"retries {stats.retries}"
    )


def budget(info: RateLimitInfo | None) -> str:
    """``budget 287/300 | ``: requests left of the window's limit; empty when unknown."""
    return "" if info is None else f"budget {info.remaining}/{info.limit} | "


class Progress:
    """Writes snapshots to ``stream``: redrawn on a TTY, plain lines otherwise.

    ``stream=None`` (``--quiet``) reports nothing.
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

    def update(self, snapshot: Snapshot) -> None:
        """Report the page just written (throttled)."""
        self._updates += 1
        self._latest = snapshot
        if self._tty:
            if self._clock() - self._last_draw >= self._interval:
                self._show(snapshot)
        elif self._updates % max(1, math.ceil(snapshot.page_count / self._lines)) == 0:
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
        text = describe(snapshot, self._clock() - self._started)
        if self._tty:
            self._last_draw = self._clock()
            self._write(f"\r{text}{_CLEAR_TO_END}")
        else:
            self._write(text + "\n")

    def _write(self, text: str) -> None:
        if self._stream is None:
            return
        self._stream.write(text)
        self._stream.flush()

"""What a change feed has already delivered: a watermark, the ids at its edge, and the checkpoint.

Pure logic, no I/O (DESIGN §8). The API has no change feed (API §9.14), so a
watcher polls a list sorted by ``updated_at`` newest first. Timestamps have
one-second resolution and writes can become visible a little late, so "newer
than the last item seen" would drop an item that lands in the same second as
that item, or just after it with an earlier stamp. The state therefore keeps:

* ``watermark``: the newest ``updated_at`` delivered so far;
* ``edge``: every change delivered with an ``updated_at`` inside the look-back
  window below the watermark, as ``(id, updated_at)``;
* ``floor``: with ``since=<datetime>``, nothing older than it is delivered.

A poll reads down to ``watermark - lookback`` (the horizon) and delivers every
change it finds there that is not in the edge. A change is an ``(id,
updated_at)`` pair, so an item that changes again later is delivered again,
once per change. The checkpoint is this state as a compact JSON string.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from datetime import datetime, timedelta

import attrs
import orjson

from clopos_async._errors import ClientValueError

#: Checkpoint format version, written first so a future format can read old ones.
_VERSION = 1

Change = tuple[Hashable, datetime]


@attrs.define(kw_only=True, slots=True)
class WatchState:
    """The delivered watermark and edge of one change feed."""

    lookback: timedelta
    watermark: datetime | None = None
    floor: datetime | None = None
    #: Changes delivered at ``updated_at >= watermark - lookback``.
    edge: dict[Change, None] = attrs.field(factory=dict)
    #: ``since=None`` and nothing seen yet: the first poll marks what exists as seen.
    from_now: bool = False

    def horizon(self, newest: datetime | None) -> datetime | None:
        """How far back a poll must read; ``newest`` is the first item of the poll."""
        anchor = self.watermark
        if anchor is None and self.from_now:
            anchor = newest
        if anchor is None:
            return self.floor
        reach = anchor - self.lookback
        return reach if self.floor is None else max(reach, self.floor)

    def is_new(self, change: Change) -> bool:
        """Whether ``change`` has not been delivered (nor marked seen) yet."""
        return change not in self.edge

    def mark_seen(self, changes: Iterable[Change]) -> None:
        """Record ``changes`` as delivered without yielding them (the ``since=None`` start)."""
        for change in changes:
            self.deliver(change)
        self.from_now = False

    def deliver(self, change: Change) -> None:
        """Record one delivered change; move the watermark and drop what left the window."""
        stamp = change[1]
        self.edge[change] = None
        if self.watermark is None or stamp > self.watermark:
            self.watermark = stamp
            self._prune()

    def _prune(self) -> None:
        assert self.watermark is not None
        reach = self.watermark - self.lookback
        for change in [c for c in self.edge if c[1] < reach]:
            del self.edge[change]

    # -- checkpoint ---------------------------------------------------------------------

    def checkpoint(self) -> str:
        """The state as a short JSON string to store and pass back as ``since=``."""
        doc: dict[str, object] = {"v": _VERSION}
        if self.watermark is not None:
            doc["w"] = self.watermark.isoformat()
            # Edge stamps as microseconds below the watermark: short, and exact.
            doc["e"] = [[key, _micros(self.watermark - stamp)] for key, stamp in self.edge]
        if self.floor is not None:
            doc["f"] = self.floor.isoformat()
        return orjson.dumps(doc).decode()


def state_from_since(since: object, *, lookback: timedelta, aware: bool) -> WatchState:
    """Build the starting state from ``since`` (None, a datetime or a checkpoint string).

    Args:
        since: ``None`` (start from now), a ``datetime`` (deliver everything updated at
            or after it), or a string from ``watcher.checkpoint``.
        lookback: The look-back window.
        aware: Whether this resource's ``updated_at`` is an aware UTC datetime (orders)
            rather than naive venue-local time (receipts).

    Raises:
        ClientValueError: ``since`` is of another type, of the wrong kind of datetime,
            or a string that is not a checkpoint.
    """
    if since is None:
        return WatchState(lookback=lookback, from_now=True)
    if isinstance(since, datetime):
        return WatchState(lookback=lookback, floor=_checked_moment(since, aware))
    if isinstance(since, str):
        return _parse_checkpoint(since, lookback=lookback, aware=aware)
    raise ClientValueError(
        f"since={type(since).__name__} is not allowed: pass None, a datetime, "
        "or a string from watcher.checkpoint"
    )


def watch_seconds(name: str, value: object, *, zero: bool = False) -> timedelta:
    """A watcher's ``interval`` (> 0) or ``lookback`` (>= 0 with ``zero``), as a timedelta.

    Raises:
        ClientValueError: ``value`` is not a finite number of seconds in range, or is
            over a day.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
        if (seconds > 0 or (zero and seconds == 0)) and seconds <= 86_400:
            return timedelta(seconds=seconds)
    floor = ">= 0" if zero else "> 0"
    raise ClientValueError(
        f"{name}={_shown(value)} is not allowed: a number of seconds {floor} and at most "
        "86400 is required"
    )


def _shown(value: object) -> str:
    try:
        text = repr(value)
    except Exception:  # a hostile __repr__ must not replace the real error
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


def _checked_moment(moment: datetime, aware: bool) -> datetime:
    if aware and moment.tzinfo is None:
        raise ClientValueError(
            f"since={moment.isoformat()} is naive: this resource's updated_at is UTC, "
            "pass an aware datetime"
        )
    if not aware and moment.tzinfo is not None:
        raise ClientValueError(
            f"since={moment.isoformat()} is aware: this resource's updated_at is venue "
            "local time, pass a naive datetime"
        )
    return moment


def _parse_checkpoint(text: str, *, lookback: timedelta, aware: bool) -> WatchState:
    try:
        doc = orjson.loads(text)
        if not isinstance(doc, dict) or doc.get("v") != _VERSION:
            raise ValueError("not a version-1 checkpoint")
        state = WatchState(lookback=lookback)
        if "f" in doc:
            state.floor = _checked_moment(datetime.fromisoformat(doc["f"]), aware)
        if "w" in doc:
            watermark = _checked_moment(datetime.fromisoformat(doc["w"]), aware)
            state.watermark = watermark
            for key, micros in doc["e"]:
                _check_edge_entry(key, micros)
                state.edge[(key, watermark - timedelta(microseconds=micros))] = None
    except ClientValueError:
        raise
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        shown = text if len(text) <= 80 else text[:77] + "..."
        raise ClientValueError(
            f"since={shown!r} is not a checkpoint this SDK wrote ({exc}); "
            "pass None, a datetime, or watcher.checkpoint"
        ) from None
    return state


def _check_edge_entry(key: object, micros: object) -> None:
    if isinstance(key, bool) or not isinstance(key, (int, str)):
        raise ValueError("edge ids must be ints or strings")
    if isinstance(micros, bool) or not isinstance(micros, int) or micros < 0:
        raise ValueError("edge offsets must be ints >= 0")


def _micros(delta: timedelta) -> int:
    return delta // timedelta(microseconds=1)

"""Change feeds: poll a list newest-first by ``updated_at`` and yield each change once (DESIGN §8).

The v2 API has no webhooks; its docs recommend polling ``/receipts`` and
``/orders`` within the quota (API §9.14). A ``Watcher`` owns that loop:

* one poll reads page 1 of the list sorted ``updated_at`` descending, and
  further pages only while they still hold items at or above the horizon
  (``_watch_state``), so an idle watcher costs one request per interval and a
  burst pages down to the watermark, never further;
* every request goes through the client's pipeline: the same limiter, retries
  and deadline as any other call, so a watcher and an export share the budget;
* rows that leave a filtered list mid-poll shift later rows toward page 1 and
  could be skipped at a page boundary; a total that shrinks between two pages
  of one poll therefore re-reads the poll from page 1 (duplicates are dropped
  by key);
* changes are yielded oldest first; ``checkpoint`` advances as each one is
  handed to the caller, so a worker that stores it after handling an item
  resumes after that item.

A poll that fails with a transient error (transport, 5xx, 429) after the
pipeline's own retries is tried again at the next interval; ``max_failures``
failed polls in a row raise the last error, and ``checkpoint`` still reads the
last delivered state for a supervisor to restart from.
"""

from __future__ import annotations

import collections
from collections.abc import Awaitable, Callable, Hashable
from datetime import datetime
from typing import Any, Generic, TypeVar

from clopos_async._errors import CloposError, RateLimitError, ServerError, TransportError
from clopos_async._watch_state import Change, WatchState, state_from_since, watch_seconds
from clopos_async.models import Page

T = TypeVar("T")

#: Fetches one page (1-based) of the list, sorted ``updated_at`` newest first.
FetchPage = Callable[[int], Awaitable[Page[T]]]

#: How often one poll may start again from page 1 because rows left the list under it.
_MAX_REREADS = 3


class Watcher(Generic[T]):
    """An async iterator over the changes of one list endpoint; see the module docstring.

    Built by ``receipts.watch()`` and ``orders.watch()``; not meant to be built directly.
    """

    def __init__(
        self,
        fetch: FetchPage[T],
        *,
        state: WatchState,
        key: Callable[[T], Hashable],
        stamp: Callable[[T], datetime | None],
        interval: float,
        sleep: Callable[[float], Awaitable[None]],
        max_failures: int = 3,
    ) -> None:
        self._fetch = fetch
        self._state = state
        self._key = key
        self._stamp = stamp
        self._interval = interval
        self._sleep = sleep
        self._max_failures = max_failures
        self._pending: collections.deque[tuple[Change, T]] = collections.deque()
        self._polls = 0

    @property
    def checkpoint(self) -> str:
        """Where this feed stands: a short string to store and pass back as ``since=``.

        It covers every item this watcher has yielded, and nothing it has not.
        """
        return self._state.checkpoint()

    @property
    def polls(self) -> int:
        """How many polls have completed (each costs one request while idle)."""
        return self._polls

    def __aiter__(self) -> Watcher[T]:
        return self

    async def __anext__(self) -> T:
        while not self._pending:
            if self._polls:
                await self._sleep(self._interval)
            self._pending.extend(await self._poll_until_it_works())
            self._polls += 1
        change, item = self._pending.popleft()
        self._state.deliver(change)
        return item

    async def _poll_until_it_works(self) -> list[tuple[Change, T]]:
        failures = 0
        while True:
            try:
                return await self._poll()
            except CloposError as exc:
                failures += 1
                if not _transient(exc) or failures >= self._max_failures:
                    raise
            await self._sleep(self._interval)

    async def _poll(self) -> list[tuple[Change, T]]:
        """One poll: the changes above the horizon not delivered yet, oldest first."""
        found: dict[Hashable, tuple[datetime, T]] = {}
        for _ in range(_MAX_REREADS):
            if await self._read_down(found):
                break
        return self._new_changes(found)

    async def _read_down(self, found: dict[Hashable, tuple[datetime, T]]) -> bool:
        """Read pages until the horizon; False if the list shrank under us (read again)."""
        number, total, horizon = 1, -1, None
        while True:
            page = await self._fetch(number)
            if 0 <= page.total < total:
                return False  # rows left the list: later rows moved toward page 1
            total = page.total
            if horizon is None and page.items:
                horizon = self._state.horizon(self._stamp(page.items[0]))
            if self._collect(page.items, horizon, found) or _last(page):
                return True
            number += 1

    def _collect(
        self,
        items: tuple[T, ...],
        horizon: datetime | None,
        found: dict[Hashable, tuple[datetime, T]],
    ) -> bool:
        """Keep the items at or above ``horizon``; True once an item below it is seen."""
        for item in items:
            stamp = self._stamp(item)
            if stamp is None:
                continue  # an item with no timestamp cannot be placed in the feed
            if horizon is not None and stamp < horizon:
                return True
            key = self._key(item)
            if key not in found or found[key][0] < stamp:
                found[key] = (stamp, item)
        return False

    def _new_changes(self, found: dict[Hashable, tuple[datetime, T]]) -> list[tuple[Change, T]]:
        changes = [((key, stamp), item) for key, (stamp, item) in found.items()]
        if self._state.from_now:
            # since=None: what exists at the first poll is the starting point, not news.
            self._state.mark_seen(change for change, _ in changes)
            return []
        fresh = [(change, item) for change, item in changes if self._state.is_new(change)]
        # The list came newest first: reversed, a stable sort by time keeps the
        # server's order among items of the same second.
        fresh.reverse()
        fresh.sort(key=lambda pair: pair[0][1])
        return fresh


def watch_list(
    fetch: FetchPage[T],
    *,
    since: object,
    interval: object,
    lookback: object,
    aware: bool,
    key: Callable[[T], Hashable],
    stamp: Callable[[T], datetime | None],
    sleep: Callable[[float], Awaitable[None]],
) -> Watcher[T]:
    """A ``Watcher`` over ``fetch`` with its arguments checked (the resources' ``watch``).

    Args:
        fetch: one page of the list sorted ``updated_at`` newest first, items decoded.
        since: ``None``, a ``datetime`` or a checkpoint string (``state_from_since``).
        interval: seconds between polls, > 0.
        lookback: seconds of the look-back window, >= 0.
        aware: whether the resource's ``updated_at`` is aware UTC (orders) or naive.
        key: an item's identity, to see a change of an item already seen.
        stamp: an item's change time (``updated_at``, else ``created_at``).
        sleep: the client's sleep.

    Raises:
        ClientValueError: ``since``, ``interval`` or ``lookback`` is not allowed.
    """
    window = watch_seconds("lookback", lookback, zero=True)
    return Watcher(
        fetch,
        state=state_from_since(since, lookback=window, aware=aware),
        key=key,
        stamp=stamp,
        interval=watch_seconds("interval", interval).total_seconds(),
        sleep=sleep,
    )


def _last(page: Page[Any]) -> bool:
    return len(page.items) < page.limit or page.page >= page.page_count


def _transient(exc: CloposError) -> bool:
    return isinstance(exc, (TransportError, ServerError, RateLimitError))

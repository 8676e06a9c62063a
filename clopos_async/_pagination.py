"""The pager: ``await`` one page, ``async for`` every item, ``.pages()`` every page.

A pager sends nothing until it is awaited or iterated. A sweep follows these
rules (DESIGN §2 Pagination):

* the newest response's ``total`` decides where the sweep ends, so a total
  that grows mid-sweep extends it; a short page ends it; no page past the end
  is ever requested and every page is fetched exactly once;
* items are de-duplicated by key (rows shift between pages when receipts
  arrive during a newest-first sweep);
* ``max_items`` caps both the items yielded and the pages requested;
* ``concurrency=N`` keeps up to N page requests in flight and still yields in
  page order;
* ``next_page`` is the first page not yet fully yielded: iterating the same
  pager again after a failure resumes there, remembering what it yielded.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Hashable,
    Sequence,
)
from typing import Any, Generic, TypeVar

import attrs

from clopos_async._seen import SeenIds
from clopos_async._window import OrderedWindow
from clopos_async.models import Page

T = TypeVar("T")

#: Fetches one page with its items still in wire form (cheap to await).
FetchPage = Callable[[int], Awaitable[Page[Any]]]
#: Turns a page's wire items into models (the CPU-heavy part).
DecodeItems = Callable[[Sequence[Any]], Sequence[T]]


class Pager(Generic[T]):
    """A lazy, resumable sweep over a paginated list endpoint.

    Pages are fetched in wire form and decoded by the consumer *after* the
    window of requests has been refilled, so decoding one page overlaps the
    latency of the next ones instead of delaying their requests.
    """

    def __init__(
        self,
        fetch: FetchPage,
        decode: DecodeItems[T],
        *,
        key: Callable[[T], Hashable],
        page: int,
        limit: int,
        max_items: int | None,
        concurrency: int,
    ) -> None:
        self._fetch = fetch
        self._decode = decode
        self._key = key
        self._first_page = page
        self._limit = limit
        self._max_items = max_items
        self._concurrency = concurrency
        self._seen = SeenIds()
        self._yielded = 0
        self._finished = False
        self.next_page = page

    def __await__(self) -> Generator[Any, None, Page[T]]:
        """The one page the pager starts at."""
        return self._fetch_one().__await__()

    async def _fetch_one(self) -> Page[T]:
        return self._decoded(await self._fetch(self._first_page))

    async def __aiter__(self) -> AsyncIterator[T]:
        # Ids are committed one by one as they are yielded, and a page counts as done
        # only after its last item: a consumer that stops mid-page resumes there.
        async with contextlib.aclosing(self._sweep()) as sweep:
            async for page, ended in sweep:
                for item in page.items:
                    if self._reached_max():
                        break
                    if self._seen.add(self._key(item)):
                        self._yielded += 1
                        yield item
                self._page_done(page, ended)

    async def pages(self) -> AsyncIterator[Page[T]]:
        """Every page from ``next_page`` on, de-duplicated and capped at ``max_items``."""
        async with contextlib.aclosing(self._sweep()) as sweep:
            async for page, ended in sweep:
                fresh = self._commit(page)
                self._page_done(page, ended)
                yield fresh

    async def _sweep(self) -> AsyncGenerator[tuple[Page[T], bool], None]:
        """Decoded pages in order, each with whether the sweep ends after it."""
        window: OrderedWindow[Page[Any]] = OrderedWindow(self._concurrency)
        sweep = _Sweep(start=self.next_page, limit=self._limit, page_budget=self._page_budget())
        try:
            sweep.fill(window, self._fetch)
            while window and not self._finished:
                raw = await window.next()
                sweep.learn(raw)
                if sweep.fill(window, self._fetch):  # before decoding: keep requests in flight
                    await window.let_run()
                yield self._decoded(raw), sweep.ended
            self._finished = True
        finally:
            await window.cancel_all()

    def _decoded(self, raw: Page[Any]) -> Page[T]:
        return Page(
            items=tuple(self._decode(raw.items)),
            total=raw.total,
            page=raw.page,
            limit=raw.limit,
            sorts=raw.sorts,
        )

    def _page_budget(self) -> float:
        """How many more pages ``max_items`` allows (at most ceil(max_items / limit) in all)."""
        if self._max_items is None:
            return math.inf
        total_pages = math.ceil(self._max_items / self._limit)
        return total_pages - (self.next_page - self._first_page)

    def _page_done(self, page: Page[T], ended: bool) -> None:
        self.next_page = page.page + 1
        if ended or self._reached_max():
            self._finished = True

    def _commit(self, page: Page[T]) -> Page[T]:
        """The page's items not yielded before (up to ``max_items``), now marked seen."""
        fresh: list[T] = []
        for item in page.items:
            if self._reached_max():
                break
            if self._seen.add(self._key(item)):
                self._yielded += 1
                fresh.append(item)
        if len(fresh) == len(page.items):
            return page
        return attrs.evolve(page, items=tuple(fresh))

    def _reached_max(self) -> bool:
        return self._max_items is not None and self._yielded >= self._max_items


@attrs.define(kw_only=True, slots=True)
class _Sweep:
    """Which pages exist as far as we know, and which have been requested."""

    start: int
    limit: int
    page_budget: float
    next_to_request: int = attrs.field(default=0)
    last_page: int = attrs.field(default=0)
    ended: bool = False

    def __attrs_post_init__(self) -> None:
        self.next_to_request = self.start
        # Until a total is known only the first page may be asked for.
        self.last_page = self.start

    def fill(self, window: OrderedWindow[Page[Any]], fetch: FetchPage) -> int:
        """Submit every page the window has room for and the sweep allows; how many."""
        submitted = 0
        while not window.full and not self.ended and self._may_request(self.next_to_request):
            window.submit(_call(fetch, self.next_to_request))
            self.next_to_request += 1
            submitted += 1
        return submitted

    def _may_request(self, page: int) -> bool:
        return page <= self.last_page and page - self.start < self.page_budget

    def learn(self, page: Page[Any]) -> None:
        """The newest response's total moves the end; a short page ends the sweep."""
        self.last_page = max(math.ceil(page.total / self.limit), self.start) if page.total else 0
        if len(page.items) < self.limit or page.page >= self.last_page:
            self.ended = True


async def _call(fetch: FetchPage, page: int) -> Page[Any]:
    return await fetch(page)

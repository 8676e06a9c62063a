"""The pager: ``await`` one page, ``async for`` every item, ``.pages()`` every page.

A pager sends nothing until it is awaited or iterated. A sweep follows these
rules (DESIGN §2 Pagination):

* which page to ask for next is planned from the totals of the answers (see
  ``_sweep.py``): with unchanged totals that is page 1, 2, 3, ... and every page
  is fetched exactly once; when rows arrive or leave mid-sweep, a page whose
  rows moved is read again, so no row that matched for the whole sweep is
  missed, in whatever order the answers come back; no page past the newest
  end is ever requested;
* items are de-duplicated by key, which makes those overlapping reads safe;
* ``max_items`` caps both the items yielded and the positions (pages) swept;
* ``concurrency=N`` keeps up to N page requests in flight and yields pages in
  the order they were requested (a re-read comes after the pages requested
  before it), each page's items in page order;
* ``next_page`` is the page that, in the newest state seen, holds the first row
  not yet covered by fully yielded pages: iterating the same pager again after
  a failure resumes there, remembering what it yielded;
* stopping early (``break``, ``aclose()``) cancels the requests in flight at
  once (``WindowedIterator``).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import (
    AsyncGenerator,
    Awaitable,
    Callable,
    Generator,
    Hashable,
    Sequence,
)
from typing import Any, Generic, TypeVar

import attrs

from clopos_async._seen import SeenIds
from clopos_async._sweep import Claim, SweepPlan
from clopos_async._window import OrderedWindow, WindowedIterator
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

    ``await pager`` gives the first page (a ``Page``), ``async for item in pager``
    every item, ``pager.pages()`` every page. Awaiting or iterating raises what a
    request raises (``APIError``, ``TransportError``, ``DecodeError``); ``next_page``
    then says where iterating again resumes. The resources' ``list`` methods build
    pagers; building one directly is for list endpoints without a resource.

    Args:
        fetch: sends the request for one page number; returns the page, items in wire form.
        decode: turns one page's wire items into models.
        key: the de-duplication key of an item (its ``id``).
        page: the first page to read, from 1.
        limit: the page size the requests ask for.
        max_items: stop after this many items (None: all).
        concurrency: page requests kept in flight while iterating.

    Attributes:
        next_page: the page a sweep resumes at: where the first item not yet covered by
            fully yielded pages is, in the newest state seen.
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
        self._plan: SweepPlan | None = None
        self.next_page = page

    def __await__(self) -> Generator[Any, None, Page[T]]:
        """The one page the pager starts at."""
        return self._fetch_one().__await__()

    async def _fetch_one(self) -> Page[T]:
        return self._decoded(await self._fetch(self._first_page))

    def __aiter__(self) -> WindowedIterator[T]:
        """Every item from ``next_page`` on; stopping early cancels the prefetch."""
        window: OrderedWindow[Page[Any]] = OrderedWindow(self._concurrency)
        return WindowedIterator(self._items(window), window)

    def pages(self) -> WindowedIterator[Page[T]]:
        """Every page from ``next_page`` on, de-duplicated and capped at ``max_items``.

        Yields:
            Each ``Page`` with its items decoded, minus items already yielded, in the
            order the pages were requested. Stopping early (``break``, ``aclose()``)
            cancels the requests in flight.

        Raises:
            APIError: a page request got an error answer (after the retries).
            TransportError: a page request got no usable response (after the retries).
            DecodeError: a page was not the documented shape.
        """
        window: OrderedWindow[Page[Any]] = OrderedWindow(self._concurrency)
        return WindowedIterator(self._pages(window), window)

    async def _items(self, window: OrderedWindow[Page[Any]]) -> AsyncGenerator[T, None]:
        # Ids are committed one by one as they are yielded, and a page counts as done
        # only after its last item: a consumer that stops mid-page resumes there.
        async with contextlib.aclosing(self._sweep(window)) as sweep:
            async for page, claim in sweep:
                for item in page.items:
                    if self._reached_max():
                        break
                    if self._seen.add(self._key(item)):
                        self._yielded += 1
                        yield item
                self._page_done(claim)

    async def _pages(self, window: OrderedWindow[Page[Any]]) -> AsyncGenerator[Page[T], None]:
        async with contextlib.aclosing(self._sweep(window)) as sweep:
            async for page, claim in sweep:
                fresh = self._commit(page)
                self._page_done(claim)
                yield fresh

    async def _sweep(
        self, window: OrderedWindow[Page[Any]]
    ) -> AsyncGenerator[tuple[Page[T], Claim], None]:
        """Decoded pages, each with the reference interval it covers (``_sweep.py``)."""
        plan = self._plan = SweepPlan(
            start=self.next_page, limit=self._limit, page_budget=self._page_budget()
        )
        held: list[tuple[Claim, Page[Any]]] = []
        try:
            _fill(plan, window, self._fetch)
            while window and not self._finished:
                raw = await window.next()
                held.append((plan.learn(raw.page, raw.total, len(raw.items)), raw))
                if _fill(plan, window, self._fetch):  # before decoding: keep requests in flight
                    await window.let_run()
                for claim, ready in _take_ready(held, plan):
                    yield self._decoded(ready), claim
            for claim, rest in _take_ready(held, None):  # the sweep ended: hand out the rest
                yield self._decoded(rest), claim
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

    def _page_done(self, claim: Claim) -> None:
        plan = self._plan
        assert plan is not None  # set by _sweep before it hands out a page
        plan.yielded(claim)
        self.next_page = plan.resume_page()
        if plan.done or self._reached_max():
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


def _take_ready(
    held: list[tuple[Claim, Page[Any]]], plan: SweepPlan | None
) -> list[tuple[Claim, Page[Any]]]:
    """Remove and return the held pages ``plan`` allows out (all if None), by position."""
    ready = [entry for entry in held if plan is None or plan.ready(entry[0])]
    for entry in ready:
        held.remove(entry)
    return sorted(ready, key=lambda entry: entry[0])


def _fill(plan: SweepPlan, window: OrderedWindow[Page[Any]], fetch: FetchPage) -> int:
    """Submit every page the window has room for and the plan asks for; how many."""
    submitted = 0
    while not window.full and not plan.done:
        page = plan.next_request()
        if page is None:
            break
        window.submit(_call(fetch, page))
        submitted += 1
    return submitted


async def _call(fetch: FetchPage, page: int) -> Page[Any]:
    return await fetch(page)

"""Which page a sweep asks for next, when rows shift under it (pure, no I/O).

Every list response carries the ``total`` of matching rows at the moment it was
answered (API §5). A sweep fixes the first response's total as its reference
``T_ref`` and assumes rows change "at the front" of the sweep: new receipts
arrive first in a newest-first order, and rows that leave the filter are ones
already yielded (a close loop). Page ``p`` answered with total ``t`` then holds
the rows at positions ``[(p-1)L, pL)`` of its own state, which are positions
``[(p-1)L - (t - T_ref), pL - (t - T_ref))`` of the reference state. That
conversion depends only on the totals, so it holds in whatever order responses
arrive.

The plan keeps the merged reference intervals the answered pages cover; the
contiguous prefix from the start is the *cursor*. The next request goes to the
first reference position neither covered nor expected from a request still in
flight (which will be answered in the newest state known, or a newer one), and
asks for the page holding that position in the newest state. The sweep is done
when the cursor reaches the reference end ``T_ref`` (a short page proves the end
of its state, so it covers everything after its start).

With unchanged totals this is exactly page 1, 2, 3, ...: no extra request. When
totals change, a page whose rows moved is read again; the pager de-duplicates
by id, so overlapping reads are safe.
"""

from __future__ import annotations

import math

import attrs

#: A short page covers everything after its start: nothing follows it in its state.
_OPEN_END = math.inf

#: The reference interval ``[low, high)`` one answered page covers.
Claim = tuple[float, float]


@attrs.define(kw_only=True, slots=True)
class SweepPlan:
    """The pages a sweep has requested and what the answered ones cover.

    Positions are reference positions (in the state of the first response).
    ``start`` is the first page this sweep reads; positions before it count as
    done (a resumed sweep). ``page_budget`` caps the reference positions the
    sweep covers at ``page_budget`` pages from ``start`` (``max_items``).
    """

    start: int
    limit: int
    page_budget: float
    ref_total: int | None = None
    latest_total: int | None = None
    cursor: float = 0
    requests: int = 0
    _yielded_end: float = 0
    _covered: list[Claim] = attrs.field(factory=list)
    _in_flight: list[int] = attrs.field(factory=list)

    def __attrs_post_init__(self) -> None:
        self.cursor = self._yielded_end = (self.start - 1) * self.limit

    @property
    def done(self) -> bool:
        """True once every reference position up to the end is covered."""
        return self.ref_total is not None and self.cursor >= self._end()

    def next_request(self) -> int | None:
        """The page to request now, or None when none is needed (or allowed) yet."""
        if self.ref_total is None or self.latest_total is None:
            return None if self._in_flight or self.requests else self._submit(self.start)
        hole = self._first_hole()
        if hole >= self._end():
            return None
        position = max(0, int(hole) + self._shift())
        page = position // self.limit + 1
        if page > max(1, math.ceil(self.latest_total / self.limit)):
            return None  # never past the newest end (DESIGN §2)
        return self._submit(page)

    def learn(self, page: int, total: int, count: int) -> Claim:
        """Record an answered request (page ``page``: ``count`` rows of ``total``); its claim."""
        self._in_flight.remove(page)
        if self.ref_total is None:
            self.ref_total = total
        self.latest_total = total
        low = (page - 1) * self.limit - (total - self.ref_total)
        high = low + count if count >= self.limit else _OPEN_END
        self._covered = _merged([*self._covered, (low, high)])
        self.cursor = _prefix_end(self._covered, self.cursor)
        return low, high

    def ready(self, claim: Claim) -> bool:
        """Whether a page may be handed out: it joins the covered prefix (or the sweep is done).

        A page beyond a gap waits for the read that fills the gap. Handing it out
        first would let a close loop remove its rows *behind* the gap, and then
        the totals would no longer say where the gap's rows moved.
        """
        return claim[0] <= self.cursor or self.done

    def yielded(self, claim: Claim) -> None:
        """A page handed out by ``ready`` has been fully consumed."""
        self._yielded_end = max(self._yielded_end, claim[1])

    def resume_page(self) -> int:
        """The page holding, in the newest state, the first row not yet fully yielded."""
        if self.ref_total is None:
            return self.start
        assert self.latest_total is not None
        if self._yielded_end >= self._end() == self.ref_total:  # all of it: past the newest end
            return max(1, math.ceil(self.latest_total / self.limit)) + 1
        position = max(0, int(min(self._yielded_end, self._end())) + self._shift())
        return position // self.limit + 1

    def _submit(self, page: int) -> int:
        self._in_flight.append(page)
        self.requests += 1
        return page

    def _shift(self) -> int:
        assert self.latest_total is not None
        assert self.ref_total is not None
        return self.latest_total - self.ref_total

    def _end(self) -> float:
        assert self.ref_total is not None
        budget_end = (self.start - 1 + self.page_budget) * self.limit
        return min(self.ref_total, budget_end)

    def _first_hole(self) -> float:
        """The first position from the cursor on that nothing covers or will cover."""
        shift = self._shift()
        expected = [
            ((page - 1) * self.limit - shift, page * self.limit - shift)
            for page in self._in_flight
        ]
        return _prefix_end(_merged([*self._covered, *expected]), self.cursor)


def _merged(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The union of half-open intervals, as sorted disjoint ones (touching ones join)."""
    merged: list[tuple[float, float]] = []
    for low, high in sorted(intervals):
        if high <= low:
            continue
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _prefix_end(intervals: list[tuple[float, float]], cursor: float) -> float:
    """How far the intervals reach contiguously from ``cursor``."""
    for low, high in intervals:
        if low > cursor:
            break
        cursor = max(cursor, high)
    return cursor

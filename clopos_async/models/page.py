"""``Page``: one page of any list endpoint, its items plus the envelope's counts (API §5)."""

from __future__ import annotations

from typing import Generic, TypeVar

import attrs

T = TypeVar("T")


@attrs.frozen(kw_only=True, slots=True)
class Page(Generic[T]):
    """One page of a list endpoint (API §5): its items plus the envelope's counts.

    Attributes:
        items: the page's items, in the order the API sent them.
        total: the envelope's ``total``: items matching the query on all pages.
        page: this page's number, from 1.
        limit: the page size asked for.
        sorts: the envelope's ``sorts``, if any.
    """

    items: tuple[T, ...]
    total: int
    page: int
    limit: int
    sorts: tuple[str, ...] = ()

    @property
    def page_count(self) -> int:
        """How many pages of ``limit`` items hold ``total`` items (ceil division)."""
        if self.limit <= 0:
            return 0
        return -(-self.total // self.limit)

    @property
    def has_next(self) -> bool:
        """Whether a page after this one exists."""
        return self.page < self.page_count

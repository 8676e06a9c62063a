"""The shape of one endpoint's API facts: what a request may say and what comes back.

Pure data, no I/O and no package imports: the SDK's validation, its resources and the
sandbox all read the same ``Endpoint`` records (DESIGN §2 "Bad input", §4).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs


class SortSyntax(enum.Enum):
    """How ``sort`` travels (API §8, §15 item 13)."""

    NONE = "none"  # the endpoint takes no sort
    GLOBAL = "global"  # sort[0]=field & sort[1]=1|-1
    NESTED = "nested"  # price lists: sort[0][0]=field & sort[0][1]=asc|desc


class Envelope(enum.Enum):
    """Which success envelope a list serves (API §5, §15 item 8)."""

    TOTAL = "total"  # total, sorts, time, timestamp, unix at the top level
    PAGINATION = "pagination"  # pagination{page, per_page, total, total_pages}
    BARE = "bare"  # only success/data (stop list, stock operations)
    OBJECT = "object"  # a single-object data (gets and writes)


class ValueType(enum.Enum):
    """The value type of a filter or a plain query parameter (API §8)."""

    INT = "int"
    STR = "str"
    BOOL = "bool"  # sent as true/false (API §8 "Boolean query values")
    INTS = "ints"  # filters[N][1][M]: an array of integers
    STRS = "strs"  # filters[N][1][M]: an array of strings


@attrs.frozen(kw_only=True, slots=True)
class Param:
    """A plain query parameter or a filter field, with its type and allowed values."""

    name: str
    type: ValueType
    choices: tuple[str | int, ...] = ()
    default: str | int | bool | None = None


@attrs.frozen(kw_only=True, slots=True)
class PageSize:
    """The ``limit`` range of a list and its default (API §8)."""

    low: int = 1
    high: int = 200
    default: int = 50


@attrs.frozen(kw_only=True, slots=True)
class Endpoint:
    """The facts of one method + path of API §9.1.

    ``path`` uses ``{id}`` for the path id. ``page_size`` is None when the endpoint is
    not paginated. ``sorts`` are the sortable fields, ``default_sort`` the server's
    default; ``includes`` the ``with[N]`` relations; ``filters`` the ``filters[N]``
    fields; ``params`` the plain query parameters; ``enums`` the documented values of
    the response's enumerated fields (API §11); ``not_found`` the 404 ``error`` slug
    (API §15 item 7).
    """

    name: str
    method: str
    path: str
    section: str
    envelope: Envelope = Envelope.OBJECT
    page_size: PageSize | None = None
    sort_syntax: SortSyntax = SortSyntax.NONE
    sorts: tuple[str, ...] = ()
    default_sort: str | None = None
    dates: bool = False
    includes: tuple[str, ...] = ()
    filters: tuple[Param, ...] = ()
    params: tuple[Param, ...] = ()
    enums: Mapping[str, tuple[str | int, ...]] = attrs.field(factory=dict)
    not_found: str = "not_found"
    auth: bool = True

    @property
    def paginated(self) -> bool:
        """Whether the endpoint takes ``page``/``limit``."""
        return self.page_size is not None

    @property
    def max_limit(self) -> int:
        """The largest page size; only paginated endpoints have one."""
        if self.page_size is None:
            raise TypeError(f"{self.name} is not paginated")
        return self.page_size.high

    def filter(self, name: str) -> Param | None:
        """The filter field called ``name``, or None."""
        return next((f for f in self.filters if f.name == name), None)

    def param(self, name: str) -> Param | None:
        """The plain query parameter called ``name``, or None."""
        return next((p for p in self.params if p.name == name), None)

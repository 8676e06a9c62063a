"""Parse the bracket-notation query of ``GET /receipts`` (API §8, §9.12).

One job: turn raw ``(key, value)`` pairs into a validated ``ReceiptQuery``, or a
400 ``invalid_parameter`` that names the parameter, its value and what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import attrs

from clopos_async._api import PageSize
from clopos_async._api._endpoints import RECEIPTS
from clopos_async.testing._wire import Rejected

#: Relations, sortable fields, filter fields and the page size of ``GET /receipts``
#: (API §9.12), from the SDK's table of API facts.
INCLUDES: tuple[str, ...] = RECEIPTS.includes
SORTS: tuple[str, ...] = RECEIPTS.sorts
FILTER_FIELDS: tuple[str, ...] = tuple(field.name for field in RECEIPTS.filters)
MAX_LIMIT = RECEIPTS.max_limit
_PAGE_SIZE = RECEIPTS.page_size or PageSize()
_MAX_DIGITS = 18  # longer numbers are nonsense here, and int() of huge strings is slow

_WITH = re.compile(r"with\[(\d*)\]")
_FILTER = re.compile(r"filters\[(\d+)\]\[([01])\](?:\[(\d+)\])?")
_FAMILIES = ("with", "filters", "sort", "date")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@attrs.frozen(kw_only=True, slots=True)
class Filter:
    """``filters[N][0]`` = field, ``filters[N][1]`` (or ``[1][M]``) = accepted values."""

    field: str
    values: frozenset[int]


@attrs.frozen(kw_only=True, slots=True)
class ReceiptQuery:
    """A validated receipts list request."""

    page: int = 1
    limit: int = 50
    sort: str = "created_at"
    descending: bool = True
    date_from: date | None = None
    date_to: date | None = None
    includes: frozenset[str] = frozenset()
    filters: tuple[Filter, ...] = ()


def invalid(name: str, value: str, allowed: str) -> Rejected:
    return Rejected(400, "invalid_parameter", f"{name}={value!r} is invalid: {allowed}")


def parse_receipt_list(pairs: Iterable[tuple[str, str]]) -> ReceiptQuery:
    """The ``ReceiptQuery`` of a ``GET /receipts`` query string (API §8)."""
    pairs = tuple(pairs)
    scalars = _scalars(pairs)
    sort_order = scalars.get("sort[1]", "-1")
    if sort_order not in ("1", "-1"):
        raise Rejected(400, "invalid_parameter", "sort[1] must be 1 or -1")
    sort = scalars.get("sort[0]", "created_at")
    if sort not in SORTS:
        raise invalid("sort[0]", sort, f"one of {', '.join(SORTS)}")
    return ReceiptQuery(
        page=integer(scalars, "page", 1, low=1, high=None),
        limit=integer(scalars, "limit", _PAGE_SIZE.default, low=_PAGE_SIZE.low, high=MAX_LIMIT),
        sort=sort,
        descending=sort_order == "-1",
        date_from=_date(scalars, "date[0]"),
        date_to=_date(scalars, "date[1]"),
        includes=parse_includes(pairs),
        filters=_filters(pairs),
    )


def parse_includes(pairs: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The relations asked with ``with[N]=…`` or ``with[]=…`` (API §8: both forms exist)."""
    found = set()
    for key, value in pairs:
        if _WITH.fullmatch(key):
            if value not in INCLUDES:
                raise invalid(key, value, f"one of {', '.join(INCLUDES)}")
            found.add(value)
        elif key == "with" or (key.startswith("with[") and not _WITH.fullmatch(key)):
            raise invalid(key, value, "use with[N]=relation or with[]=relation (API §8)")
    return frozenset(found)


def _scalars(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Single-valued parameters; the last occurrence wins, as in PHP. Bad brackets are 400."""
    known = {"page", "limit", "sort[0]", "sort[1]", "date[0]", "date[1]"}
    scalars: dict[str, str] = {}
    for key, value in pairs:
        if key in known:
            scalars[key] = value
        elif key.split("[", 1)[0] in ("sort", "date") and key not in known:
            raise invalid(key, value, "use sort[0], sort[1], date[0] or date[1] (API §8)")
    return scalars


def integer(scalars: dict[str, str], name: str, default: int, *, low: int, high: int | None) -> int:
    """``scalars[name]`` as an integer in ``low..high``, ``default`` when absent, else 400."""
    raw = scalars.get(name)
    if raw is None:
        return default
    allowed = f"an integer >= {low}" if high is None else f"an integer from {low} to {high}"
    if not raw.isascii() or not raw.isdigit() or len(raw) > _MAX_DIGITS:
        raise invalid(name, raw, allowed)
    value = int(raw)
    if value < low or (high is not None and value > high):
        raise invalid(name, raw, allowed)
    return value


def _date(scalars: dict[str, str], name: str) -> date | None:
    raw = scalars.get(name)
    if raw is None:
        return None
    try:
        if not _DATE.fullmatch(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise invalid(name, raw, "a date YYYY-MM-DD") from None


def filter_groups(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str, list[str]]]:
    """The ``filters[N]`` of a query in N's order, as ``(N, field, values)`` (API §8).

    ``filters[N][0]=field`` with ``filters[N][1]=value`` or ``filters[N][1][M]=value``;
    every list endpoint reads them so. A key of the family in another form, or an N
    without its field or its values, is the server's 400.
    """
    fields: dict[str, str] = {}
    values: dict[str, list[str]] = {}
    for key, value in pairs:
        match = _FILTER.fullmatch(key)
        if match is None:
            if key == "filters" or key.startswith("filters["):
                raise invalid(key, value, "use filters[N][0]=field and filters[N][1]=value")
            continue
        if match[2] == "0" and match[3] is None:
            fields[match[1]] = value
        elif match[2] == "1":
            values.setdefault(match[1], []).append(value)
        else:
            raise invalid(key, value, "filters[N][0] holds a field name, not an array")
    groups = []
    for index in sorted(set(fields) | set(values), key=int):
        field, raw = fields.get(index), values.get(index)
        if field is None or not raw:
            missing = f"filters[{index}][0]" if field is None else f"filters[{index}][1]"
            raise Rejected(400, "invalid_parameter", f"{missing} is missing")
        groups.append((index, field, raw))
    return groups


def _filters(pairs: tuple[tuple[str, str], ...]) -> tuple[Filter, ...]:
    return tuple(_filter(*group) for group in filter_groups(pairs))


def _filter(index: str, field: str, raw_values: list[str]) -> Filter:
    if field not in FILTER_FIELDS:
        raise invalid(f"filters[{index}][0]", field, f"one of {', '.join(FILTER_FIELDS)}")
    numbers = set()
    for raw in raw_values:
        if not raw.isascii() or not raw.isdigit() or len(raw) > _MAX_DIGITS:
            raise invalid(f"filters[{index}][1]", raw, f"{field} takes integer values")
        numbers.add(int(raw))
    return Filter(field=field, values=frozenset(numbers))

"""Argument checks run before anything is sent (DESIGN §2 "Bad input").

Each check returns the normalised value or raises ``ClientValueError`` whose message
holds the argument's name, its value (a short, never-failing repr) and what is allowed,
for example ``limit=0 is not allowed: an integer >= 1 is required``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import NoReturn

from clopos_async._api._endpoints import RECEIPT_STATUSES as RECEIPT_STATUS_VALUES
from clopos_async._api._endpoints import RECEIPTS
from clopos_async._errors import ClientValueError
from clopos_async._protocol import FilterValue
from clopos_async._wire._text import parse_date, parse_timestamp

#: The receipts list's sortable fields, relations and statuses (API §9.12, §11), read
#: from the one table of API facts that the sandbox reads too.
RECEIPT_SORTS: frozenset[str] = frozenset(RECEIPTS.sorts)
RECEIPT_INCLUDES: frozenset[str] = frozenset(RECEIPTS.includes)
RECEIPT_STATUSES: frozenset[int] = frozenset(RECEIPT_STATUS_VALUES)

#: The fields ``filters[N][0]`` may name on receipts (API §9.12 lists these three; any other
#: name comes back as 400 ``invalid_parameter``).
RECEIPT_FILTERS: frozenset[str] = frozenset(field.name for field in RECEIPTS.filters)

#: Upper bound for concurrency knobs: beyond this the 300/min budget (API §7) is the limit.
MAX_CONCURRENCY = 64

#: ``asc``/``desc`` and their wire values (API §8: ``sort[1]`` is 1 or -1).
ORDERS: dict[str, int] = {"asc": 1, "desc": -1}

#: The largest integer the API can take: it is PHP, whose integers are signed 64-bit, and
#: orjson cannot encode a larger one at all (a TypeError at send time).
MAX_WIRE_INT = 2**63 - 1

_REPR_CHARS = 80


# --- messages -----------------------------------------------------------------------------


def shown(value: object) -> str:
    """A repr for a message that never raises and never floods it.

    Every message about a user's value goes through this: a value's own ``__repr__``
    may raise anything (or be an int too long to print), and that must never replace
    the ``ClientValueError`` being built.
    """
    try:
        text = repr(value)
        if not isinstance(text, str):
            raise TypeError("__repr__ returned a non-string")
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        text = f"<{_type_name(value)} object>"
    return text if len(text) <= _REPR_CHARS else text[: _REPR_CHARS - 3] + "..."


def _type_name(value: object) -> str:
    name = getattr(type(value), "__name__", None)
    return name if isinstance(name, str) else "unknown"


def _reject(name: str, value: object, allowed: str) -> NoReturn:
    raise ClientValueError(f"{name}={shown(value)} is not allowed: {allowed}")


def _one_of(choices: Iterable[str]) -> str:
    return "one of " + ", ".join(repr(choice) for choice in sorted(choices))


def _as_int(value: object) -> int | None:
    """The value as an int, or None.

    numbers.Integral admits numpy integers (ids read from a DataFrame); a bool is never
    taken for a number.
    """
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):  # a registered Integral that cannot convert
        return None


# --- numbers and ids ----------------------------------------------------------------------


def check_positive_int(name: str, value: object) -> int:
    """An integer (not a bool) from 1 to MAX_WIRE_INT."""
    number = _as_int(value)
    if number is not None and 1 <= number <= MAX_WIRE_INT:
        return number
    if number is not None and number > MAX_WIRE_INT:
        _reject(name, value, f"an integer from 1 to {MAX_WIRE_INT} is required")
    _reject(name, value, "an integer >= 1 is required")


def check_optional_positive_int(name: str, value: object) -> int | None:
    """``None`` or an integer >= 1."""
    return None if value is None else check_positive_int(name, value)


def check_id(name: str, value: object) -> int:
    """A resource id: an integer from 1 to MAX_WIRE_INT, not a bool."""
    number = _as_int(value)
    if number is not None and 1 <= number <= MAX_WIRE_INT:
        return number
    _reject(name, value, f"a positive integer id (at most {MAX_WIRE_INT}) is required")


def check_optional_id(name: str, value: object) -> int | None:
    """``None`` or a positive integer id (``sale_type_id``, ``terminal_id``)."""
    return None if value is None else check_id(name, value)


def check_ids(name: str, values: object) -> list[int]:
    """An iterable of ids (not a string); the message names the index of a bad one."""
    if isinstance(values, (str, bytes, bytearray, Mapping)) or not isinstance(values, Iterable):
        _reject(name, values, "an iterable of positive integer ids is required")
    return [check_id(f"{name}[{index}]", item) for index, item in enumerate(values)]


def check_concurrency(name: str, value: object) -> int:
    """An integer from 1 to MAX_CONCURRENCY."""
    number = _as_int(value)
    if number is not None and 1 <= number <= MAX_CONCURRENCY:
        return number
    _reject(name, value, f"an integer from 1 to {MAX_CONCURRENCY} is required")


def check_timeout(name: str, value: object) -> float:
    """A finite real number of seconds > 0 (not a bool)."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        try:
            seconds = float(value)
        except (OverflowError, TypeError, ValueError):  # too large, or a half-made Real
            seconds = math.nan
        if math.isfinite(seconds) and seconds > 0:
            return seconds
    _reject(name, value, "a finite number of seconds > 0 is required")


# --- dates --------------------------------------------------------------------------------


def check_date(name: str, value: object) -> date | None:
    """``None``, a ``date``, a ``datetime`` (its date) or a real ``YYYY-MM-DD`` string."""
    if value is None:
        return None
    if isinstance(value, datetime):  # before date: a datetime is a date
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return parse_date(value)  # the wire's own strict parser
        except ValueError:
            pass  # ill-formed, or not a real day, e.g. 2025-02-30
    _reject(name, value, "a date, a datetime or a 'YYYY-MM-DD' string of a real day is required")


def check_date_range(date_from: date | None, date_to: date | None) -> None:
    """``date_from`` must not be after ``date_to`` (API §8: an inclusive range)."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ClientValueError(
            f"date_from={date_from.isoformat()!r} and date_to={date_to.isoformat()!r} "
            "are not allowed: date_from must be on or before date_to"
        )


def check_dates(date_from: object, date_to: object) -> tuple[date | None, date | None]:
    """``date_from`` and ``date_to`` (``check_date``), checked as an inclusive range."""
    start, end = check_date("date_from", date_from), check_date("date_to", date_to)
    check_date_range(start, end)
    return start, end


def check_closed_at(value: object) -> datetime | None:
    """``None``, a naive ``datetime`` or a strict ``YYYY-MM-DD HH:mm:ss`` string.

    An aware datetime is refused: the API reads ``closed_at`` as venue local time (§9.12),
    and silently converting it would pick a zone the caller never meant.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            return value
        _reject("closed_at", value, "a naive datetime in venue local time is required")
    if isinstance(value, str):
        try:
            return parse_timestamp(value)  # the wire's own strict parser
        except ValueError:
            pass  # ill-formed, or not a real moment, e.g. 2025-01-01 25:00:00
    _reject(
        "closed_at",
        value,
        "None, a naive datetime or a 'YYYY-MM-DD HH:mm:ss' string is required",
    )


# --- list parameters ----------------------------------------------------------------------


def check_order(value: object) -> int:
    """``"asc"``/``"desc"`` (any case), ``1`` or ``-1`` -> the wire value 1/-1."""
    if isinstance(value, str) and value.lower() in ORDERS:
        return ORDERS[value.lower()]
    number = _as_int(value)
    if number in (1, -1):
        return number
    _reject("order", value, "'asc', 'desc', 1 or -1 is required")


def check_sort(value: object) -> str:
    """A documented sortable receipt field (API §9.12)."""
    if isinstance(value, str) and value in RECEIPT_SORTS:
        return value
    _reject("sort", value, _one_of(RECEIPT_SORTS) + " is required")


def check_status(value: object) -> int | None:
    """``None``, 1 (open), 2 (closed) or a ``ReceiptStatus`` (an IntEnum) -> int."""
    if value is None:
        return None
    number = _as_int(value)
    if number is not None and number in RECEIPT_STATUSES:
        return number
    _reject("status", value, "None, 1 (open), 2 (closed) or a ReceiptStatus is required")


def check_include(value: object) -> tuple[str, ...]:
    """A relation name or an iterable of them, each in RECEIPT_INCLUDES; duplicates dropped."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (_check_relation("include", value),)
    if isinstance(value, (bytes, bytearray, Mapping)) or not isinstance(value, Iterable):
        _reject("include", value, "a relation name or an iterable of them is required")
    relations = [_check_relation(f"include[{i}]", item) for i, item in enumerate(value)]
    return tuple(dict.fromkeys(relations))  # API §9.12: asking twice adds nothing


def _check_relation(name: str, value: object) -> str:
    if isinstance(value, str) and value in RECEIPT_INCLUDES:
        return value
    _reject(name, value, _one_of(RECEIPT_INCLUDES) + " is required")


def check_filters(value: object, *, fields: frozenset[str]) -> list[tuple[str, FilterValue]]:
    """``None``, a mapping of name -> value, or a sequence of ``(name, value)`` pairs.

    Values are str, int or bool, or a non-empty list/tuple of str/int (API §8
    ``filters[N][1][M]``); names are among ``fields``, the resource's documented
    filter fields (an unknown one is a 400 ``invalid_parameter`` on the server).
    """
    if value is None:
        return []
    if isinstance(value, Mapping):
        pairs: list[object] = list(value.items())
    elif isinstance(value, (str, bytes, bytearray)) or not isinstance(value, Iterable):
        _reject("filters", value, "a mapping or a sequence of (name, value) pairs is required")
    else:
        pairs = list(value)
    return [_check_filter(f"filters[{index}]", pair, fields) for index, pair in enumerate(pairs)]


def _check_filter(name: str, pair: object, fields: frozenset[str]) -> tuple[str, FilterValue]:
    if isinstance(pair, (str, bytes, bytearray)) or not isinstance(pair, Sequence):
        _reject(name, pair, "a (name, value) pair is required")
    if len(pair) != 2:
        _reject(name, pair, "a (name, value) pair is required")
    field, raw = pair[0], pair[1]
    if not (isinstance(field, str) and field in fields):
        _reject(f"{name}[0]", field, _one_of(fields) + " is required")
    return field, _check_filter_value(f"{name}[1]", raw)


def _check_filter_value(name: str, value: object) -> FilterValue:
    allowed = "a str, int or bool, or a non-empty list/tuple of str or int is required"
    if isinstance(value, (str, bool)):
        return value
    number = _as_int(value)
    if number is not None:
        return number
    if not isinstance(value, (list, tuple)) or not value:
        _reject(name, value, allowed)
    items = [item if isinstance(item, str) else _as_int(item) for item in value]
    if any(item is None for item in items):
        _reject(name, value, allowed)
    return tuple(item for item in items if item is not None)

"""Text forms on the wire: timestamps, dates, ISO 8601 instants and JSON money numbers.

Strict parsers (the SDK's argument checks use them too) and the formatters that give
each value back in the form it came in (DESIGN §2 "Wire fidelity", API §11).
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, TypeVar

from clopos_async._errors import ClientValueError

D = TypeVar("D", date, datetime)

TIMESTAMP_LEN = 19
TIMESTAMP_SEPARATORS = "-- ::"  # text[4::3]: characters 4, 7, 10, 13 and 16
DATE_LEN = 10
DATE_SEPARATORS = "--"  # text[4::3]: characters 4 and 7
ISO_MIN_LEN = 20  # 2026-02-02T13:45:53Z

# Bounded in length and depth: a wrong value may be a huge or deeply nested JSON value.
_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxlevel = 2
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = 40


def show(value: object) -> str:
    """A short description of a wire value for an error message (wire data holds no secrets)."""
    return f"{type(value).__name__} {_SHORT_REPR.repr(value)}"


# --- YYYY-MM-DD HH:mm:ss and YYYY-MM-DD (venue local time, naive) -------------------------------


def strict_iso(value: object, length: int, separators: str, parse: Callable[[str], D]) -> D | None:
    """``parse(value)`` when ``value`` has exactly the fixed shape, else None."""
    # Fixed separators first: fromisoformat alone would also take week dates, "T", offsets.
    if type(value) is str and len(value) == length and value[4::3] == separators:
        try:
            return parse(value)
        except ValueError:
            return None  # well-formed but impossible, e.g. 2025-02-30
    return None


def parse_timestamp(value: str) -> datetime:
    """Parse a strict ``YYYY-MM-DD HH:mm:ss`` wire timestamp into a naive datetime.

    Raises:
        ValueError: for anything else (other lengths, a ``T`` separator, offsets,
            fractions, ISO week dates, impossible dates).
    """
    parsed = strict_iso(value, TIMESTAMP_LEN, TIMESTAMP_SEPARATORS, datetime.fromisoformat)
    if parsed is None:
        raise ValueError(f"expected a 'YYYY-MM-DD HH:mm:ss' timestamp, got {show(value)}")
    return parsed


def parse_date(value: str) -> date:
    """Parse a strict ``YYYY-MM-DD`` wire date (``shift_date``, ``date_of_birth``).

    Raises:
        ValueError: for anything else.
    """
    parsed = strict_iso(value, DATE_LEN, DATE_SEPARATORS, date.fromisoformat)
    if parsed is None:
        raise ValueError(f"expected a 'YYYY-MM-DD' date, got {show(value)}")
    return parsed


def format_timestamp(value: datetime) -> str:
    """Format a naive datetime as ``YYYY-MM-DD HH:mm:ss`` (microseconds are dropped).

    Raises:
        ClientValueError: for an aware datetime or another type.
    """
    if not isinstance(value, datetime) or value.utcoffset() is not None:
        raise ClientValueError(
            f"timestamp={value!r} is not allowed: a naive datetime (venue local time) is required"
        )
    return value.isoformat(" ", "seconds")


def format_date(value: date) -> str:
    """Format a date as ``YYYY-MM-DD``."""
    return value.isoformat()


# --- ISO 8601 instants: 2026-02-02T13:45:53.000000Z (orders, customers, users, ...) ------------


class WireDatetime(datetime):
    """An aware UTC datetime that remembers the text it was decoded from.

    It compares and hashes as the plain datetime it is; the converter writes ``_text``
    back, so ``…53Z`` and ``…53.000000Z`` both survive a round trip. Copies and pickles
    keep the text; ``replace()`` and arithmetic give values without it, which encode in
    the API's own form (``.000000Z``).
    """

    __slots__ = ("_text",)
    _text: str

    def __reduce_ex__(self, protocol: Any) -> Any:
        if hasattr(self, "_text"):
            return (parse_iso_utc, (self._text,))
        return super().__reduce_ex__(protocol)


_ZERO = timedelta(0)


def parse_iso_utc(value: str) -> WireDatetime:
    """Parse an ISO 8601 instant in UTC (``…T…Z`` or ``…T…+00:00``, fraction optional).

    Raises:
        ValueError: for a naive or non-UTC time, a space separator, or a bad text.
    """
    if type(value) is not str or len(value) < ISO_MIN_LEN or value[10] != "T":
        raise ValueError(f"expected an ISO 8601 UTC timestamp, got {show(value)}")
    parsed = WireDatetime.fromisoformat(value)
    # fromisoformat gives the timezone.utc singleton for a zero offset ("Z", "+00:00"):
    # one identity test instead of two utcoffset() calls on the hot path.
    if parsed.tzinfo is not timezone.utc and parsed.utcoffset() != _ZERO:
        raise ValueError(f"expected an ISO 8601 UTC timestamp, got {show(value)}")
    parsed._text = value
    return parsed


def format_iso_utc(value: datetime) -> str:
    """The ISO text of an aware datetime: its own text if decoded, else ``…T….ffffffZ``.

    Raises:
        ClientValueError: for a naive datetime (its instant is unknown).
    """
    text = getattr(value, "_text", None)
    if text is not None:
        return str(text)
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ClientValueError(f"timestamp={value!r} is not allowed: an aware datetime is required")
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- money (API §11: plain JSON numbers, two scales in the wild) ---------------------------------


def money_to_wire(value: Decimal) -> int | float:
    """The JSON number for a Decimal: exponent 0 -> int (8140), anything else -> float (8.14).

    Decoded floats never have exponent 0 (see ``models._checks.decimal_from_float``).
    """
    if value.as_tuple().exponent == 0:
        return int(value)
    return float(value)

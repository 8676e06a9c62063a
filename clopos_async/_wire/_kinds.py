"""Field kinds: how one wire type is checked, converted and encoded (API §10, §11).

A ``Kind`` serves both decode paths: ``fast`` holds branches for the generated decoder
(``_fast.py``), ``slow`` converts one value and names a bad one in a ``DecodeError``.
Scalar kinds live here; object, array and map kinds are built per model in ``_plans``.

Bools: a ``bool`` field takes JSON ``true``/``false``; a ``bool | int`` field also takes
the ``0``/``1`` of v1 payloads and keeps what was sent (API §10.2 ``is_gift``), so the
round trip stays lossless.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from clopos_async._errors import DecodeError
from clopos_async._wire._text import (
    DATE_LEN,
    DATE_SEPARATORS,
    ISO_MIN_LEN,
    TIMESTAMP_LEN,
    TIMESTAMP_SEPARATORS,
    format_date,
    format_iso_utc,
    format_timestamp,
    money_to_wire,
    parse_date,
    parse_iso_utc,
    parse_timestamp,
    show,
)
from clopos_async.models._checks import decimal_from_float


class Invalid(Exception):
    """Raised inside generated code; the slow path then finds and names the problem."""


@attrs.frozen
class Kind:
    """How one wire type is checked and converted, on both decode paths, and encoded.

    ``fast`` holds ``(test, statement)`` branches for generated code, where ``v`` is
    the wire value and ``c`` its class; ``slow`` converts a non-null value or raises
    DecodeError; ``dump`` turns a non-null model value back into JSON (None = as is).
    """

    label: str
    fast: tuple[tuple[str, str], ...]
    slow: Callable[[Any, str], Any]
    dump: Callable[[Any], Any] | None = None
    names: Mapping[str, Any] = attrs.field(factory=dict)
    exact: type | None = None


@attrs.frozen
class Field:
    """One wire field of a model: its key, kind, and what absence and null mean."""

    name: str
    kind: Kind
    nullable: bool
    required: bool
    default: Callable[[], Any]


def fail(kind: str, value: object, path: str) -> DecodeError:
    return DecodeError(f"expected {kind}, got {show(value)}", path=path)


def slow_int(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail("an integer", value, path)
    return int(value)


def slow_str(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise fail("a string", value, path)
    return str(value)


def _slow_flag(value: Any, path: str) -> bool | int:
    # Booleans; v1 payloads send 0/1 (API §10.2 is_gift), kept as sent.
    if not isinstance(value, int):
        raise fail("a boolean", value, path)
    return value if type(value) is bool else int(value)


def _finite_float(value: object) -> bool:
    return isinstance(value, float) and value - value == 0.0


def _slow_scalar(value: Any, path: str) -> str | int | float:
    # Fields whose type the docs leave open: kept exactly as sent.
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if _finite_float(value):
        return float(value)
    raise fail("a string or a number", value, path)


def _slow_money(value: Any, path: str) -> Decimal:
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(int(value))
    if _finite_float(value):
        return decimal_from_float(float(value))
    raise fail("a number", value, path)


def _slow_timestamp(value: Any, path: str) -> datetime:
    if not isinstance(value, str):
        raise fail("a 'YYYY-MM-DD HH:mm:ss' timestamp", value, path)
    try:
        return parse_timestamp(str(value))
    except ValueError:
        raise fail("a 'YYYY-MM-DD HH:mm:ss' timestamp", value, path) from None


def _slow_date(value: Any, path: str) -> date:
    if not isinstance(value, str):
        raise fail("a 'YYYY-MM-DD' date", value, path)
    try:
        return parse_date(str(value))
    except ValueError:
        raise fail("a 'YYYY-MM-DD' date", value, path) from None


def _slow_raw_list(value: Any, path: str) -> tuple[Any, ...]:
    if not isinstance(value, (list, tuple)):
        raise fail("an array", value, path)
    return tuple(value)


def _dump_enum(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


_FINITE_FLOAT = "c is float and v - v == 0.0"  # NaN and infinities fail: x - x is NaN

INT = Kind("an integer", (), slow_int, exact=int)
STR = Kind("a string", (), slow_str, exact=str)
FLAG = Kind("a boolean", (("c is int", "pass"),), _slow_flag, exact=bool)
SCALAR = Kind(
    "a string or a number",
    (("c is int", "pass"), (_FINITE_FLOAT, "pass")),
    _slow_scalar,
    exact=str,
)
#: Decimal(n) for the small ints that fill most money fields (zero discounts, taxes, fees):
#: indexing this is ~4x cheaper than calling Decimal. Decimals are immutable, so sharing is safe.
_SMALL_MONEY = tuple(Decimal(n) for n in range(1024))

#: Money values seen recently, one bounded memo per JSON type (1 == 1.0 would collide).
#: Menu prices repeat on every line that sells the item, and Decimal(repr(x)) costs ~6x
#: a dict lookup. Zeros are never stored: 0.0 == -0.0, and the sign must survive.
_INT_MONEY: dict[int, Decimal] = {}
_FLOAT_MONEY: dict[float, Decimal] = {}
_MONEY_MEMO_MAX = 4096


def _int_money(value: int) -> Decimal:
    money = Decimal(value)
    _remember(_INT_MONEY, value, money)
    return money


def _float_money(value: float) -> Decimal:
    if value - value != 0.0:  # NaN and infinities are not JSON numbers
        raise Invalid
    money = decimal_from_float(value)
    if value:
        _remember(_FLOAT_MONEY, value, money)
    return money


def _remember(memo: dict[Any, Decimal], key: Any, money: Decimal) -> None:
    if len(memo) >= _MONEY_MEMO_MAX:
        memo.clear()
    memo[key] = money


#: ISO instants seen recently, by their exact text. Included relations repeat on every
#: row (API §9.8 ``with[]=category,station``: one category's timestamps on each of its
#: products), and parsing one costs ~15x a dict lookup. A WireDatetime is immutable, so
#: sharing it is safe; the text key keeps ``…Z`` and ``….000000Z`` apart.
_ISO_MEMO: dict[str, datetime] = {}


def _iso(value: str) -> datetime:
    parsed = parse_iso_utc(value)
    if len(_ISO_MEMO) >= _MONEY_MEMO_MAX:
        _ISO_MEMO.clear()
    _ISO_MEMO[value] = parsed
    return parsed


def clear_caches() -> None:
    """Forget memoised money values and ISO instants (benchmarks measure a cold start)."""
    _INT_MONEY.clear()
    _FLOAT_MONEY.clear()
    _ISO_MEMO.clear()


MONEY = Kind(
    "a number",
    (
        (
            "c is int",
            f"v = SMALL[v] if -1 < v < {len(_SMALL_MONEY)} else (IMEMO(v) or IMONEY(v))",
        ),
        ("c is float", "v = FMEMO(v) or FMONEY(v)"),
    ),
    _slow_money,
    money_to_wire,
    {
        "SMALL": _SMALL_MONEY,
        "IMEMO": _INT_MONEY.get,
        "IMONEY": _int_money,
        "FMEMO": _FLOAT_MONEY.get,
        "FMONEY": _float_money,
    },
)
TIMESTAMP = Kind(
    "a timestamp",
    (
        (
            f"c is str and len(v) == {TIMESTAMP_LEN} and v[4::3] == {TIMESTAMP_SEPARATORS!r}",
            "v = TS(v)",
        ),
    ),
    _slow_timestamp,
    format_timestamp,
    {"TS": datetime.fromisoformat},
)
DATE = Kind(
    "a date",
    ((f"c is str and len(v) == {DATE_LEN} and v[4::3] == {DATE_SEPARATORS!r}", "v = DAY(v)"),),
    _slow_date,
    format_date,
    {"DAY": date.fromisoformat},
)
RAW_LIST = Kind("an array", (("c is list", "v = tuple(v)"),), _slow_raw_list, list)


def enum_kind(enum: type[Enum], base: type) -> Kind:
    """An enum field whose unknown values stay raw (API §11: status 3, "ON_HOLD")."""
    lookup = {member.value: member for member in enum}
    base_kind = INT if base is int else STR

    def slow(value: Any, path: str) -> Any:
        raw = base_kind.slow(value, path)
        return lookup.get(raw, raw)

    test = f"c is {base.__name__}"
    return Kind(
        base_kind.label, ((test, "v = LOOKUP(v, v)"),), slow, _dump_enum, {"LOOKUP": lookup.get}
    )


# --- kinds the receipts never needed: the rest of the API (API §10.4-10.17) ---------------------


def _slow_bool(value: Any, path: str) -> bool:
    if type(value) is not bool:
        raise fail("a boolean", value, path)
    return value


def _slow_float(value: Any, path: str) -> int | float:
    # A JSON number kept as sent: 1 stays 1, 1.5 stays 1.5.
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if _finite_float(value):
        return float(value)
    raise fail("a number", value, path)


def _slow_id(value: Any, path: str) -> int | str:
    # API §10.6, §10.10, §15 items 16 and 18: ids documented as integer and as string.
    if isinstance(value, str):
        return str(value)
    return slow_int(value, path)


def _slow_iso(value: Any, path: str) -> datetime:
    try:
        return parse_iso_utc(value)
    except ValueError:
        raise fail("an ISO 8601 UTC timestamp", value, path) from None


def _slow_any(value: Any, path: str) -> Any:
    return value


BOOL = Kind("a boolean", (), _slow_bool, exact=bool)
FLOAT = Kind("a number", (("c is int", "pass"), (_FINITE_FLOAT, "pass")), _slow_float)
ID = Kind("an integer or a string", (("c is str", "pass"),), _slow_id, exact=int)
ISO = Kind(
    "an ISO 8601 UTC timestamp",
    ((f"c is str and len(v) >= {ISO_MIN_LEN}", "v = ISOMEMO(v) or ISO(v)"),),
    _slow_iso,
    format_iso_utc,
    {"ISOMEMO": _ISO_MEMO.get, "ISO": _iso},
)
#: Untyped JSON kept exactly as sent (``integration_response``, ``setting``...).
ANY = Kind("any JSON value", (("v is not ABSENT and v is not None", "pass"),), _slow_any)


def scalars_kind(item: Kind) -> Kind:
    """A JSON array of one scalar kind, decoded to a tuple (``phones``, ``tags``)."""

    def slow(value: Any, path: str) -> tuple[Any, ...]:
        if not isinstance(value, (list, tuple)):
            raise fail("an array", value, path)
        return tuple(_item(item, entry, f"{path}[{i}]") for i, entry in enumerate(value))

    def dump(value: Any) -> list[Any]:
        return [_dump_item(item, entry) for entry in value]

    return Kind("an array", (("c is list", "v = ITEMS(v, '')"),), slow, dump, {"ITEMS": slow})


def map_kind(item: Kind) -> Kind:
    """A JSON object of string keys to one kind: the venue maps of API §10.12, §10.13."""

    def slow(value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise fail("an object", value, path)
        return {str(k): _item(item, v, f"{path}.{k}") for k, v in value.items()}

    def dump(value: Any) -> dict[str, Any]:
        return {key: _dump_item(item, entry) for key, entry in value.items()}

    return Kind("an object", (("c is dict", "v = ENTRIES(v, '')"),), slow, dump, {"ENTRIES": slow})


def _item(kind: Kind, value: Any, path: str) -> Any:
    if value is None:
        raise DecodeError(f"expected {kind.label}, got null", path=path)
    return kind.slow(value, path)


def _dump_item(kind: Kind, value: Any) -> Any:
    return value if kind.dump is None else kind.dump(value)

"""Tests of the argument checks: good values normalise, bad ones name argument and value."""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clopos_async._errors import ClientValueError
from clopos_async._validation import (
    MAX_CONCURRENCY,
    RECEIPT_FILTERS,
    RECEIPT_INCLUDES,
    RECEIPT_SORTS,
    check_closed_at,
    check_concurrency,
    check_date,
    check_date_range,
    check_filters,
    check_id,
    check_ids,
    check_include,
    check_optional_id,
    check_optional_positive_int,
    check_order,
    check_positive_int,
    check_sort,
    check_status,
    check_timeout,
)
from clopos_async.models import ReceiptStatus as Status


class WideInt:
    """An integer type that is not an ``int`` subclass, like ``numpy.int64``."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __int__(self) -> int:
        return self.value

    def __repr__(self) -> str:
        return f"WideInt({self.value})"


numbers.Integral.register(WideInt)


class BrokenRepr:
    def __repr__(self) -> str:
        raise RuntimeError("repr exploded")


def _rejects(check: Callable[[], object], *fragments: str) -> str:
    """Run a check that must fail; return its message after asserting each fragment is in it."""
    with pytest.raises(ClientValueError) as caught:
        check()
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert "is not allowed" in message
    return message


def test_client_value_error_is_also_a_value_error() -> None:
    with pytest.raises(ValueError, match="limit=0"):
        check_positive_int("limit", 0)


# --- integers and ids -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, 1), (50, 50), (10**12, 10**12), (Status.CLOSED, 2), (WideInt(7), 7)],
)
def test_check_positive_int_accepts(value: object, expected: int) -> None:
    result = check_positive_int("limit", value)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize(
    "value", [0, -1, True, False, 1.0, 2.5, "5", None, Decimal(3), [1], WideInt(0)]
)
def test_check_positive_int_rejects(value: object) -> None:
    message = _rejects(lambda: check_positive_int("limit", value), f"limit={value!r}")
    assert message.endswith("an integer >= 1 is required")


def test_check_positive_int_message_matches_the_documented_example() -> None:
    expected = "limit=0 is not allowed: an integer >= 1 is required"
    with pytest.raises(ClientValueError, match=f"^{re.escape(expected)}$"):
        check_positive_int("limit", 0)


def test_check_optional_positive_int() -> None:
    assert check_optional_positive_int("max_items", None) is None
    assert check_optional_positive_int("max_items", 3) == 3
    _rejects(lambda: check_optional_positive_int("max_items", 0), "max_items=0")


@pytest.mark.parametrize("value", [1, 10950, Status.OPEN, WideInt(42)])
def test_check_id_accepts(value: object) -> None:
    assert check_id("receipt", value) == int(value)  # type: ignore[call-overload]


@pytest.mark.parametrize("value", [0, -7, True, "10950", 10950.0, None, b"1"])
def test_check_id_rejects(value: object) -> None:
    _rejects(lambda: check_id("receipt", value), f"receipt={value!r}", "positive integer id")


@pytest.mark.parametrize("name", ["sale_type_id", "terminal_id"])
def test_check_optional_id(name: str) -> None:
    assert check_optional_id(name, None) is None
    assert check_optional_id(name, 4) == 4
    _rejects(lambda: check_optional_id(name, "4"), f"{name}='4'")


@pytest.mark.parametrize(
    ("values", "expected"),
    [([1, 2, 3], [1, 2, 3]), ((3, 1), [3, 1]), (range(1, 4), [1, 2, 3]), ([], []),
     (iter([5, 5]), [5, 5]), ([WideInt(9)], [9])],
)  # fmt: skip
def test_check_ids_accepts_any_iterable_of_ids(values: object, expected: list[int]) -> None:
    assert check_ids("ids", values) == expected


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ([1, 2, 0], "ids[2]=0"),
        ([1, "2"], "ids[1]='2'"),
        ([True], "ids[0]=True"),
        ([None, 1], "ids[0]=None"),
    ],
)
def test_check_ids_names_the_bad_index(values: object, fragment: str) -> None:
    _rejects(lambda: check_ids("ids", values), fragment, "positive integer id")


@pytest.mark.parametrize("values", ["123", b"12", 5, None, {1: "a"}])
def test_check_ids_rejects_non_iterables_and_strings(values: object) -> None:
    _rejects(lambda: check_ids("ids", values), f"ids={values!r}", "iterable")


@pytest.mark.parametrize("value", [1, 8, MAX_CONCURRENCY, WideInt(2)])
def test_check_concurrency_accepts(value: object) -> None:
    assert check_concurrency("concurrency", value) == int(value)  # type: ignore[call-overload]


@pytest.mark.parametrize("value", [0, -1, MAX_CONCURRENCY + 1, True, 2.0, "4", None])
def test_check_concurrency_rejects_and_states_the_bound(value: object) -> None:
    _rejects(
        lambda: check_concurrency("max_concurrency", value),
        f"max_concurrency={value!r}",
        f"from 1 to {MAX_CONCURRENCY}",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(30, 30.0), (0.5, 0.5), (Fraction(1, 4), 0.25), (1e-3, 0.001), (10**6, 1e6)],
)
def test_check_timeout_accepts(value: object, expected: float) -> None:
    result = check_timeout("timeout", value)
    assert result == expected
    assert type(result) is float


@pytest.mark.parametrize(
    "value",
    [0, -1, 0.0, -0.5, float("inf"), float("nan"), True, "30", None, 10**400, Decimal("1"), 1j],
)
def test_check_timeout_rejects(value: object) -> None:
    _rejects(lambda: check_timeout("timeout", value), "timeout=", "seconds > 0")


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (date(2025, 8, 12), date(2025, 8, 12)),
        (datetime(2025, 8, 12, 23, 59, 59), date(2025, 8, 12)),
        (datetime(2025, 8, 12, 1, 0, tzinfo=timezone.utc), date(2025, 8, 12)),
        ("2025-08-12", date(2025, 8, 12)),
        ("2024-02-29", date(2024, 2, 29)),
    ],
)
def test_check_date_accepts(value: object, expected: date | None) -> None:
    result = check_date("date_from", value)
    assert result == expected
    assert result is None or type(result) is date


@pytest.mark.parametrize(
    "value",
    [
        "2025-13-01",
        "2025-02-30",
        "2023-02-29",
        "2025/01/01",
        "20250101",
        "2025-1-1",
        "2025-01-01T00:00:00",
        "2025-01-01 ",
        "2025-01-01\n",
        "0000-01-01",
        "",
        True,
        20250101,
        1.5,
        ["2025-01-01"],
    ],
)
def test_check_date_rejects(value: object) -> None:
    _rejects(lambda: check_date("date_to", value), f"date_to={value!r}", "YYYY-MM-DD")


def test_check_date_range() -> None:
    check_date_range(date(2025, 1, 1), date(2025, 1, 1))
    check_date_range(date(2025, 1, 1), date(2025, 1, 2))
    check_date_range(None, date(2025, 1, 2))
    check_date_range(date(2025, 1, 1), None)
    check_date_range(None, None)
    with pytest.raises(ClientValueError) as caught:
        check_date_range(date(2025, 8, 18), date(2025, 8, 12))
    message = str(caught.value)
    for fragment in ("date_from='2025-08-18'", "date_to='2025-08-12'", "on or before"):
        assert fragment in message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (datetime(2025, 8, 12, 18, 30, 5), datetime(2025, 8, 12, 18, 30, 5)),
        ("2025-08-12 18:30:05", datetime(2025, 8, 12, 18, 30, 5)),
        ("2024-02-29 00:00:00", datetime(2024, 2, 29)),
    ],
)
def test_check_closed_at_accepts(value: object, expected: datetime | None) -> None:
    result = check_closed_at(value)
    assert result == expected
    assert result is None or result.tzinfo is None


@pytest.mark.parametrize(
    "value",
    [
        datetime(2025, 8, 12, 18, 30, tzinfo=timezone.utc),
        datetime(2025, 8, 12, 18, 30, tzinfo=timezone(timedelta(hours=4))),
    ],
)
def test_check_closed_at_rejects_aware_datetimes(value: datetime) -> None:
    _rejects(lambda: check_closed_at(value), "closed_at=datetime.datetime(", "naive datetime")


@pytest.mark.parametrize(
    "value",
    [
        "2025-08-12T18:30:05",
        "2025-08-12 18:30",
        "2025-08-12 18:30:05.123",
        "2025-08-12 24:00:00",
        "2025-13-12 10:00:00",
        "2025-08-12",
        "12/08/2025 10:00:00",
        date(2025, 8, 12),
        1755000000,
        True,
    ],
)
def test_check_closed_at_rejects(value: object) -> None:
    _rejects(lambda: check_closed_at(value), f"closed_at={value!r}", "YYYY-MM-DD HH:mm:ss")


# --- list parameters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("asc", 1), ("desc", -1), ("ASC", 1), ("Desc", -1), (1, 1), (-1, -1), (WideInt(-1), -1)],
)
def test_check_order_accepts(value: object, expected: int) -> None:
    assert check_order(value) == expected


@pytest.mark.parametrize("value", ["up", "", "1", 0, 2, True, None, 1.0, "ascending"])
def test_check_order_rejects(value: object) -> None:
    _rejects(lambda: check_order(value), f"order={value!r}", "'asc', 'desc', 1 or -1")


@pytest.mark.parametrize("value", sorted(RECEIPT_SORTS))
def test_check_sort_accepts_every_documented_field(value: str) -> None:
    assert check_sort(value) == value


@pytest.mark.parametrize("value", ["created", "CREATED_AT", "name", "", None, 1, ["id"]])
def test_check_sort_rejects_and_lists_the_fields(value: object) -> None:
    _rejects(lambda: check_sort(value), f"sort={value!r}", "'created_at'", "'totalCost'")


def test_receipt_sorts_are_the_documented_list() -> None:
    # API §9.12: the sample ``sorts`` array, 28 names.
    assert len(RECEIPT_SORTS) == 28
    assert {"created_at", "updated_at", "closed_at", "total", "products.type"} <= RECEIPT_SORTS


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), (1, 1), (2, 2), (Status.OPEN, 1), (Status.CLOSED, 2)],
)
def test_check_status_accepts(value: object, expected: int | None) -> None:
    result = check_status(value)
    assert result == expected
    assert result is None or type(result) is int


@pytest.mark.parametrize("value", [0, 3, -1, True, "1", "open", 1.0])
def test_check_status_rejects(value: object) -> None:
    _rejects(lambda: check_status(value), f"status={value!r}", "1 (open), 2 (closed)")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ()),
        ((), ()),
        ("receipt_products", ("receipt_products",)),
        (["receipt_products", "receipt_products.modificators"],
         ("receipt_products", "receipt_products.modificators")),
        (("receipt_products.product.unit", "receipt_products.product.unit"),
         ("receipt_products.product.unit",)),
        ({"receipt_products.product.station"}, ("receipt_products.product.station",)),
    ],
)  # fmt: skip
def test_check_include_accepts(value: object, expected: tuple[str, ...]) -> None:
    assert check_include(value) == expected


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("products", "include='products'"),
        (["receipt_products", "taxes"], "include[1]='taxes'"),
        ([1], "include[0]=1"),
        (b"receipt_products", "include=b'receipt_products'"),
        ({"receipt_products": 1}, "include={'receipt_products': 1}"),
        (5, "include=5"),
    ],
)
def test_check_include_rejects(value: object, fragment: str) -> None:
    _rejects(lambda: check_include(value), fragment)


def test_check_include_lists_what_is_allowed() -> None:
    message = _rejects(lambda: check_include("nope"), "include='nope'")
    for relation in RECEIPT_INCLUDES:
        assert repr(relation) in message


#: Field names of several resources (API §9): check_filters takes the resource's set.
ANY_FIELDS = frozenset(
    {"status", "terminal_id", "name", "giftable", "id", "type", "ok", "price", "a"}
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, []),
        ({}, []),
        ([], []),
        ({"status": 2, "terminal_id": 4}, [("status", 2), ("terminal_id", 4)]),
        ([("name", "John"), ("giftable", True)], [("name", "John"), ("giftable", True)]),
        ([["id", [1, 332]]], [("id", (1, 332))]),
        ((("type", ("DISH", "GOODS")),), [("type", ("DISH", "GOODS"))]),
        ({"id": [WideInt(3), "x"]}, [("id", (3, "x"))]),
        ({"status": Status.OPEN}, [("status", 1)]),
    ],
)
def test_check_filters_accepts(value: object, expected: list[tuple[str, Any]]) -> None:
    result = check_filters(value, fields=ANY_FIELDS)
    assert result == expected
    for _, filter_value in result:
        if not isinstance(filter_value, (str, int)):
            assert isinstance(filter_value, tuple)  # a private, immutable copy


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("status=1", "filters='status=1'"),
        (5, "filters=5"),
        ([("status",)], "filters[0]=('status',)"),
        ([("a", 1, 2)], "filters[0]=('a', 1, 2)"),
        (["ab"], "filters[0]='ab'"),
        ([{"status": 1}], "filters[0]={'status': 1}"),
        ([("", 1)], "filters[0][0]=''"),
        ([("  ", 1)], "filters[0][0]='  '"),
        ({3: "x"}, "filters[0][0]=3"),
        ([("ok", 1), ("price", 1.5)], "filters[1][1]=1.5"),
        ({"id": []}, "filters[0][1]=[]"),
        ({"id": [1, None]}, "filters[0][1]=[1, None]"),
        ({"id": [True]}, "filters[0][1]=[True]"),
        ({"id": {1, 2}}, "filters[0][1]={1, 2}"),
        ({"id": None}, "filters[0][1]=None"),
        ({"id": b"1"}, "filters[0][1]=b'1'"),
    ],
)
def test_check_filters_rejects(value: object, fragment: str) -> None:
    _rejects(lambda: check_filters(value, fields=ANY_FIELDS), fragment)


def test_check_filters_rejects_a_field_the_resource_does_not_document() -> None:
    # A name the API does not know is a 400 invalid_parameter there (API §9.12): refuse it here.
    message = _rejects(
        lambda: check_filters({"total": 5}, fields=RECEIPT_FILTERS), "filters[0][0]='total'"
    )
    for field in RECEIPT_FILTERS:
        assert repr(field) in message


# --- messages -------------------------------------------------------------------------------


def test_a_huge_value_is_shown_shortened() -> None:
    message = _rejects(lambda: check_positive_int("limit", "x" * 10_000), "limit='xxx")
    assert len(message) < 200


def test_a_value_whose_repr_fails_is_still_reported() -> None:
    _rejects(lambda: check_id("receipt", BrokenRepr()), "receipt=<BrokenRepr object>")


def test_an_int_too_long_to_print_is_still_reported() -> None:
    _rejects(lambda: check_order(-(10**5000)), "order=")


# --- property tests -------------------------------------------------------------------------

_anything = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.decimals(),
        st.fractions(),
        st.complex_numbers(),
        st.text(),
        st.binary(),
        st.dates(),
        st.datetimes(timezones=st.none() | st.timezones()),
        st.sampled_from([*RECEIPT_SORTS, *RECEIPT_INCLUDES, "asc", "desc", Status.OPEN]),
        st.builds(WideInt, st.integers()),
        st.builds(BrokenRepr),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
        st.frozensets(st.integers() | st.text(), max_size=4),
    ),
    max_leaves=10,
)

VALIDATORS: list[tuple[str, Callable[[object], object]]] = [
    ("check_date", lambda v: check_date("date_from", v)),
    ("check_order", check_order),
    ("check_sort", check_sort),
    ("check_positive_int", lambda v: check_positive_int("page", v)),
    ("check_optional_positive_int", lambda v: check_optional_positive_int("max_items", v)),
    ("check_id", lambda v: check_id("receipt", v)),
    ("check_optional_id", lambda v: check_optional_id("terminal_id", v)),
    ("check_ids", lambda v: check_ids("ids", v)),
    ("check_include", check_include),
    ("check_filters", lambda v: check_filters(v, fields=RECEIPT_FILTERS)),
    ("check_status", check_status),
    ("check_closed_at", check_closed_at),
    ("check_concurrency", lambda v: check_concurrency("concurrency", v)),
    ("check_timeout", lambda v: check_timeout("timeout", v)),
]


@pytest.mark.parametrize("validator", [v for _, v in VALIDATORS], ids=[n for n, _ in VALIDATORS])
@given(value=_anything)
def test_validators_return_a_value_or_raise_client_value_error(
    validator: Callable[[object], object], value: object
) -> None:
    try:
        validator(value)
    except ClientValueError as error:
        message = str(error)
        assert "is not allowed:" in message
        assert len(message) < 1000


@given(st.dates())
def test_check_date_reads_back_every_real_day(day: date) -> None:
    assert check_date("date_from", f"{day.year:04d}-{day.month:02d}-{day.day:02d}") == day


@given(st.datetimes(min_value=datetime(1000, 1, 1)))
def test_check_closed_at_reads_back_its_wire_format(moment: datetime) -> None:
    wire = moment.strftime("%Y-%m-%d %H:%M:%S")
    assert check_closed_at(wire) == moment.replace(microsecond=0)


@given(st.dates(), st.dates())
def test_check_date_range_agrees_with_date_order(first: date, second: date) -> None:
    if first <= second:
        check_date_range(first, second)
    else:
        with pytest.raises(ClientValueError):
            check_date_range(first, second)

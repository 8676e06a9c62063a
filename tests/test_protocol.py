"""Tests of the pure protocol layer: query encoding, envelope, error mapping, headers."""

from __future__ import annotations

import email.utils
import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timezone
from typing import Any
from urllib.parse import parse_qsl

import orjson
import pytest
import yarl
from hypothesis import given
from hypothesis import strategies as st
from multidict import CIMultiDict, CIMultiDictProxy

from clopos_async._errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ClientValueError,
    CloposError,
    ConflictError,
    DecodeError,
    GatewayTimeoutError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from clopos_async._protocol import (
    EXCERPT_CHARS,
    FilterValue,
    encode_include,
    encode_list_query,
    error_code,
    error_for,
    error_message,
    parse_json,
    parse_rate_limit,
    retry_after_seconds,
    safe_excerpt,
    unwrap_envelope,
)
from clopos_async._rate_info import RateLimitInfo

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJicmFuZCI6Im9wZW5hcGl0ZXN0In0.c2lnbmF0dXJl"

# --- query encoding (API §8) --------------------------------------------------------------

ENCODING_CASES: list[tuple[str, dict[str, Any], list[tuple[str, str]]]] = [
    ("page and limit only", {}, []),
    ("sort and order", {"sort": "created_at", "order": -1}, [
        ("sort[0]", "created_at"), ("sort[1]", "-1")]),
    ("ascending order alone", {"order": 1}, [("sort[1]", "1")]),
    ("sort alone", {"sort": "total"}, [("sort[0]", "total")]),
    ("both dates", {"date_from": date(2026, 1, 19), "date_to": date(2026, 1, 20)}, [
        ("date[0]", "2026-01-19"), ("date[1]", "2026-01-20")]),
    ("only date_from", {"date_from": date(2025, 8, 12)}, [("date[0]", "2025-08-12")]),
    ("only date_to", {"date_to": date(2025, 8, 18)}, [("date[1]", "2025-08-18")]),
    ("a datetime sends its date", {"date_from": datetime(2025, 8, 12, 23, 59)}, [
        ("date[0]", "2025-08-12")]),
    ("early years are zero padded", {"date_to": date(987, 3, 4)}, [("date[1]", "0987-03-04")]),
    ("includes are indexed", {"include": ["receipt_products", "receipt_products.modificators"]}, [
        ("with[0]", "receipt_products"), ("with[1]", "receipt_products.modificators")]),
    ("string filter", {"filters": [("name", "John")]}, [
        ("filters[0][0]", "name"), ("filters[0][1]", "John")]),
    ("integer filter", {"filters": [("status", 2)]}, [
        ("filters[0][0]", "status"), ("filters[0][1]", "2")]),
    ("true filter", {"filters": [("giftable", True)]}, [
        ("filters[0][0]", "giftable"), ("filters[0][1]", "true")]),
    ("false filter", {"filters": [("giftable", False)]}, [
        ("filters[0][0]", "giftable"), ("filters[0][1]", "false")]),
    ("array filter", {"filters": [("id", [1, 332])]}, [
        ("filters[0][0]", "id"), ("filters[0][1][0]", "1"), ("filters[0][1][1]", "332")]),
    ("tuple filter of strings", {"filters": [("type", ("DISH", "GOODS"))]}, [
        ("filters[0][0]", "type"), ("filters[0][1][0]", "DISH"), ("filters[0][1][1]", "GOODS")]),
    ("several filters keep their order", {"filters": [("sale_type_id", 3), ("terminal_id", 9)]}, [
        ("filters[0][0]", "sale_type_id"), ("filters[0][1]", "3"),
        ("filters[1][0]", "terminal_id"), ("filters[1][1]", "9")]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "expected_tail"),
    [(case[1], case[2]) for case in ENCODING_CASES],
    ids=[case[0] for case in ENCODING_CASES],
)
def test_encode_list_query_each_parameter_kind(
    extra: dict[str, Any], expected_tail: list[tuple[str, str]]
) -> None:
    assert encode_list_query(page=2, limit=50, **extra) == [
        ("page", "2"),
        ("limit", "50"),
        *expected_tail,
    ]


def test_encode_list_query_orders_every_kind_deterministically() -> None:
    query = encode_list_query(
        filters=[("status", 1)],
        include=["receipt_products"],
        date_to=date(2025, 1, 2),
        date_from=date(2025, 1, 1),
        order=1,
        sort="id",
        limit=10,
        page=3,
    )
    keys = [key for key, _ in query]
    assert keys == [
        "page",
        "limit",
        "sort[0]",
        "sort[1]",
        "date[0]",
        "date[1]",
        "with[0]",
        "filters[0][0]",
        "filters[0][1]",
    ]


def test_encoded_query_matches_the_documented_example_on_the_wire() -> None:
    # API §8: GET /receipts?page=1&limit=50&sort[0]=created_at&sort[1]=-1&date[0]=...&date[1]=...
    documented = (
        "page=1&limit=50&sort[0]=created_at&sort[1]=-1&date[0]=2026-01-19&date[1]=2026-01-19"
    )
    query = encode_list_query(
        page=1,
        limit=50,
        sort="created_at",
        order=-1,
        date_from=date(2026, 1, 19),
        date_to=date(2026, 1, 19),
    )
    on_the_wire = yarl.URL("https://x.test/receipts").with_query(query).raw_query_string
    assert parse_qsl(on_the_wire) == parse_qsl(documented)


def test_encode_list_query_refuses_an_empty_list_value() -> None:
    with pytest.raises(ClientValueError, match=r"filters\[0\]=\('id', \[\]\) is not allowed"):
        encode_list_query(page=1, limit=1, filters=[("id", [])])


def test_encode_include_for_get_by_id() -> None:
    assert encode_include(["receipt_products", "receipt_products.modificators"]) == [
        ("with[0]", "receipt_products"),
        ("with[1]", "receipt_products.modificators"),
    ]
    assert encode_include(()) == []


# A tiny decoder of PHP bracket keys, to check the encoder round-trips.
_KEY = re.compile(r"(?P<base>[a-z]+)(?P<indices>(?:\[[0-9]+\])*)")


def _decode_tree(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for key, value in pairs:
        match = _KEY.fullmatch(key)
        assert match is not None, key
        path = [match["base"], *re.findall(r"\[([0-9]+)\]", match["indices"])]
        node = tree
        for part in path[:-1]:
            node = node.setdefault(part, {})
        assert path[-1] not in node, f"{key} sent twice"
        node[path[-1]] = value
    return tree


def _as_list(node: dict[str, Any]) -> list[Any]:
    assert sorted(node, key=int) == [str(i) for i in range(len(node))], "indices not 0..n-1"
    return [node[str(i)] for i in range(len(node))]


def _decode_query(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    tree = _decode_tree(pairs)
    sort, dates = tree.get("sort", {}), tree.get("date", {})
    filters = [
        (f["0"], _as_list(f["1"]) if isinstance(f["1"], dict) else f["1"])
        for f in _as_list(tree.get("filters", {}))
    ]
    return {
        "page": int(tree["page"]),
        "limit": int(tree["limit"]),
        "sort": sort.get("0"),
        "order": int(sort["1"]) if "1" in sort else None,
        "date_from": date.fromisoformat(dates["0"]) if "0" in dates else None,
        "date_to": date.fromisoformat(dates["1"]) if "1" in dates else None,
        "include": _as_list(tree.get("with", {})),
        "filters": filters,
    }


def _wire(value: FilterValue) -> str | list[str]:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (str, int)):
        return str(value)
    return [item if isinstance(item, str) else str(item) for item in value]


_scalars = st.one_of(st.text(), st.integers(), st.booleans())
_filter_values = st.one_of(
    _scalars,
    st.lists(st.one_of(st.text(), st.integers()), min_size=1, max_size=4),
    st.tuples(st.text(), st.integers()),
)


@given(
    page=st.integers(min_value=1),
    limit=st.integers(min_value=1, max_value=1000),
    sort=st.none() | st.text(),
    order=st.none() | st.sampled_from([1, -1]),
    date_from=st.none() | st.dates(),
    date_to=st.none() | st.dates(),
    include=st.lists(st.text(), max_size=4),
    filters=st.lists(st.tuples(st.text(), _filter_values), max_size=4),
)
def test_encode_list_query_round_trips_through_a_bracket_decoder(
    page: int,
    limit: int,
    sort: str | None,
    order: int | None,
    date_from: date | None,
    date_to: date | None,
    include: list[str],
    filters: list[tuple[str, FilterValue]],
) -> None:
    query = encode_list_query(
        page=page,
        limit=limit,
        sort=sort,
        order=order,
        date_from=date_from,
        date_to=date_to,
        include=include,
        filters=filters,
    )
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in query)
    assert _decode_query(query) == {
        "page": page,
        "limit": limit,
        "sort": sort,
        "order": order,
        "date_from": date_from,
        "date_to": date_to,
        "include": include,
        "filters": [(name, _wire(value)) for name, value in filters],
    }


# --- JSON -----------------------------------------------------------------------------------


def test_parse_json_reads_json() -> None:
    assert parse_json(b'{"success": true, "data": [1, 2]}') == {"success": True, "data": [1, 2]}


@pytest.mark.parametrize(
    "body",
    [b"", b"<html>502 Bad Gateway</html>", b'{"success": tr', b"\xff\xfe\x00", b"NaN"],
)
def test_parse_json_rejects_non_json_with_a_short_excerpt(body: bytes) -> None:
    with pytest.raises(DecodeError, match="body is not JSON") as caught:
        parse_json(body)
    assert len(str(caught.value)) < EXCERPT_CHARS + 60


def test_parse_json_excerpt_of_a_huge_body_is_bounded() -> None:
    with pytest.raises(DecodeError) as caught:
        parse_json(b"<html>" + b"x" * 100_000)
    assert len(str(caught.value)) <= EXCERPT_CHARS + 40
    assert str(caught.value).count("x") <= EXCERPT_CHARS


def test_truncated_auth_answer_never_leaks_its_token() -> None:
    body = ('{"success": true, "token": "' + JWT + '", "client_secret": "s3cr3t-value').encode()
    with pytest.raises(DecodeError) as caught:
        parse_json(body)
    text = str(caught.value)
    assert JWT[:20] not in text
    assert "s3cr3t" not in text
    assert "success" in text  # the harmless part is still shown


@pytest.mark.parametrize(
    "raw",
    [f"x-token: {JWT}", f"token={JWT}&page=1", f"Bearer {JWT}", f"'access_token': '{JWT}'"],
)
def test_safe_excerpt_masks_tokens_in_any_spelling(raw: str) -> None:
    assert "eyJhbGci" not in safe_excerpt(raw.encode())


# --- rate-limit headers (API §4, §7) --------------------------------------------------------


def _ci(headers: Mapping[str, str]) -> CIMultiDictProxy[str]:
    return CIMultiDictProxy(CIMultiDict(headers))


RATE_LIMIT_CASES: list[tuple[str, Mapping[str, str], RateLimitInfo | None]] = [
    ("canonical names", {"RateLimit-Limit": "300", "RateLimit-Remaining": "299",
                         "RateLimit-Reset": "42"},
     RateLimitInfo(limit=300, remaining=299, reset=42)),
    ("lower-case dict", {"ratelimit-limit": "60", "ratelimit-remaining": "0",
                         "ratelimit-reset": "7"}, RateLimitInfo(limit=60, remaining=0, reset=7)),
    ("upper-case dict", {"RATELIMIT-LIMIT": "60", "RATELIMIT-REMAINING": "5",
                         "RATELIMIT-RESET": "1"}, RateLimitInfo(limit=60, remaining=5, reset=1)),
    ("aiohttp CIMultiDictProxy", _ci({"ratelimit-LIMIT": "300", "RateLimit-remaining": "10",
                                      "RATELIMIT-reset": "3"}),
     RateLimitInfo(limit=300, remaining=10, reset=3)),
    ("fractional reset", {"RateLimit-Limit": "300", "RateLimit-Remaining": "1",
                          "RateLimit-Reset": "0.25"},
     RateLimitInfo(limit=300, remaining=1, reset=0.25)),
    ("negative values clamp to 0", {"RateLimit-Limit": "300", "RateLimit-Remaining": "-3",
                                    "RateLimit-Reset": "-1"},
     RateLimitInfo(limit=300, remaining=0, reset=0)),
    ("IETF list syntax: first item", {"RateLimit-Limit": "300, 300;w=60",
                                      "RateLimit-Remaining": " 12 ", "RateLimit-Reset": "30"},
     RateLimitInfo(limit=300, remaining=12, reset=30)),
    ("no headers", {}, None),
    ("one missing", {"RateLimit-Limit": "300", "RateLimit-Remaining": "3"}, None),
    ("garbage number", {"RateLimit-Limit": "lots", "RateLimit-Remaining": "3",
                        "RateLimit-Reset": "1"}, None),
    ("empty value", {"RateLimit-Limit": "300", "RateLimit-Remaining": "",
                     "RateLimit-Reset": "1"}, None),
    ("not finite", {"RateLimit-Limit": "300", "RateLimit-Remaining": "3",
                    "RateLimit-Reset": "inf"}, None),
    ("nan", {"RateLimit-Limit": "nan", "RateLimit-Remaining": "3", "RateLimit-Reset": "1"}, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("headers", "expected"),
    [(case[1], case[2]) for case in RATE_LIMIT_CASES],
    ids=[case[0] for case in RATE_LIMIT_CASES],
)
def test_parse_rate_limit(headers: Mapping[str, str], expected: RateLimitInfo | None) -> None:
    assert parse_rate_limit(headers) == expected


@given(st.dictionaries(st.text(), st.text()))
def test_header_parsers_never_raise(headers: dict[str, str]) -> None:
    info = parse_rate_limit(headers)
    assert info is None or (info.limit >= 0 and info.remaining >= 0 and info.reset >= 0)
    wait = retry_after_seconds(headers, now=1_700_000_000.0)
    assert wait is None or wait >= 0


NOW = datetime(2025, 8, 12, 12, 0, 0, tzinfo=timezone.utc)


def _http_date(moment: datetime) -> str:
    return email.utils.format_datetime(moment, usegmt=True)


RETRY_AFTER_CASES: list[tuple[str, Mapping[str, str], float | None]] = [
    ("delta seconds", {"Retry-After": "120"}, 120.0),
    ("delta with spaces", {"retry-after": " 3 "}, 3.0),
    ("fractional delta", {"RETRY-AFTER": "1.5"}, 1.5),
    ("negative delta clamps", {"Retry-After": "-5"}, 0.0),
    ("HTTP-date in the future",
     {"Retry-After": _http_date(NOW.replace(minute=1, second=30))}, 90.0),
    ("HTTP-date in the past", {"Retry-After": _http_date(NOW.replace(hour=11))}, 0.0),
    ("obsolete -0000 date", {"Retry-After": "Tue, 12 Aug 2025 12:00:10 -0000"}, 10.0),
    ("garbage", {"Retry-After": "soon"}, None),
    ("empty", {"Retry-After": ""}, None),
    ("missing", {}, None),
    ("inf", {"Retry-After": "inf"}, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("headers", "expected"),
    [(case[1], case[2]) for case in RETRY_AFTER_CASES],
    ids=[case[0] for case in RETRY_AFTER_CASES],
)
def test_retry_after_seconds(headers: Mapping[str, str], expected: float | None) -> None:
    assert retry_after_seconds(headers, now=NOW.timestamp()) == expected


def test_retry_after_http_date_defaults_to_the_real_clock() -> None:
    far_future = {"Retry-After": "Fri, 01 Jan 2100 00:00:00 GMT"}
    wait = retry_after_seconds(far_future)
    assert wait is not None
    assert wait > 365 * 24 * 3600  # decades ahead of any clock this runs on


# --- error fields (API §6) ------------------------------------------------------------------

V1_LIST_ERROR = {
    "success": False,
    "error": [
        {
            "message": "No query results for model [Receipt] 99",
            "type": "server_side",
            "exception": "NotFoundHttpException",
            "code": "not_found",
            "http_code": 404,
        }
    ],
}

ERROR_FIELD_CASES: list[tuple[str, Any, str | None, str | None]] = [
    ("string slug", {"success": False, "error": "not_found", "message": "Receipt not found"},
     "not_found", "Receipt not found"),
    ("list of objects", V1_LIST_ERROR, "not_found", "No query results for model [Receipt] 99"),
    ("list item without code uses type", {"error": [{"type": "server_side", "code": 0}]},
     "server_side", None),
    ("list item with only exception", {"error": [{"exception": "HttpException"}]},
     "HttpException", None),
    ("body message wins over item message", {**V1_LIST_ERROR, "message": "top"},
     "not_found", "top"),
    ("list of strings", {"error": ["Invalid token"]}, "Invalid token", None),
    ("empty list", {"error": [], "message": "m"}, None, "m"),
    ("OpenAPI error object", {"error": {"code": "validation_failed", "message": "bad"}},
     "validation_failed", "bad"),
    ("absent", {"success": False, "message": "Something"}, None, "Something"),
    ("null error and message", {"error": None, "message": None}, None, None),
    ("numeric code", {"error": 1001}, "1001", None),
    ("boolean error is no code", {"error": True}, None, None),
    ("blank strings are no text", {"error": "  ", "message": ""}, None, None),
    ("body is a list", [{"error": "x"}], None, None),
    ("body is a string", "Bad Gateway", None, None),
    ("body is None", None, None, None),
    ("body is a number", 502, None, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [case[1:] for case in ERROR_FIELD_CASES],
    ids=[case[0] for case in ERROR_FIELD_CASES],
)
def test_error_code_and_message(body: Any, code: str | None, message: str | None) -> None:
    assert error_code(body) == code
    assert error_message(body) == message


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
_error_bodies = st.fixed_dictionaries(
    {},
    optional={
        "success": _json,
        "error": _json | st.lists(st.dictionaries(st.text(), _json, max_size=5), max_size=3),
        "message": _json,
    },
)


@given(_error_bodies | _json)
def test_error_fields_never_raise(body: Any) -> None:
    for value in (error_code(body), error_message(body)):
        assert value is None or (isinstance(value, str) and value.strip())


# --- error_for ------------------------------------------------------------------------------


def _error(
    status: int, body: Any, headers: Mapping[str, str] | None = None, *, is_auth: bool = False
) -> APIError:
    return error_for(
        status=status,
        body=body,
        method="GET",
        url="/receipts?page=1",
        headers=headers or {},
        is_auth=is_auth,
    )


STATUS_CASES: list[tuple[int, type[APIError]]] = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (429, RateLimitError),
    (500, ServerError),
    (502, ServerError),
    (503, ServerError),
    (504, GatewayTimeoutError),
    (599, ServerError),
    (418, APIError),
    (422, APIError),
]


@pytest.mark.parametrize(("status", "expected"), STATUS_CASES)
def test_error_for_maps_each_status(status: int, expected: type[APIError]) -> None:
    body = {"success": False, "error": "some_slug", "message": "text"}
    error = _error(status, body)
    assert type(error) is expected
    assert (error.status, error.code, error.message) == (status, "some_slug", "text")
    assert (error.method, error.url) == ("GET", "/receipts?page=1")


@pytest.mark.parametrize("status", [500, 502, 503, 504])
@pytest.mark.parametrize(
    "body",
    [
        {"success": False, "error": "not_found"},
        {"success": False, "error": "unauthorized"},
        {"success": True, "data": []},
        V1_LIST_ERROR,
        "<html>Bad Gateway</html>",
        None,
    ],
)
def test_any_5xx_is_a_server_error_whatever_its_body(status: int, body: Any) -> None:
    error = _error(status, body)
    assert isinstance(error, ServerError)
    assert isinstance(error, GatewayTimeoutError) == (status == 504)


SLUG_CASES: list[tuple[str, type[APIError]]] = [
    ("unauthorized", AuthenticationError),
    ("authentication_failed", AuthenticationError),
    ("Invalid token", AuthenticationError),
    ("Token expired", AuthenticationError),
    ("Headers are missing", AuthenticationError),
    ("not_found", NotFoundError),
    ("resource_not_found", NotFoundError),
    ("invalid_parameter", BadRequestError),
    ("validation_failed", BadRequestError),
    ("rate_limited", RateLimitError),
    ("something_new", APIError),
]


@pytest.mark.parametrize(("slug", "expected"), SLUG_CASES)
def test_200_success_false_maps_by_slug(slug: str, expected: type[APIError]) -> None:
    error = _error(200, {"success": False, "error": slug, "message": "m"})
    assert type(error) is expected
    assert error.status == 200
    assert error.code == slug


@pytest.mark.parametrize(("slug", "expected"), SLUG_CASES)
def test_200_success_false_maps_a_list_error_by_its_code(
    slug: str, expected: type[APIError]
) -> None:
    error = _error(200, {"success": False, "error": [{"code": slug, "message": "m"}]})
    assert type(error) is expected


def test_slug_matching_ignores_case_and_spaces() -> None:
    assert type(_error(200, {"success": False, "error": " INVALID TOKEN "})) is AuthenticationError


@pytest.mark.parametrize("slug", [*(s for s, _ in SLUG_CASES), None])
def test_200_success_false_at_auth_is_always_an_authentication_error(slug: str | None) -> None:
    body = {
        "success": False,
        "message": "Integrator is in test mode. But brand is not in test mode",
    }
    if slug is not None:
        body["error"] = slug
    error = _error(200, body, is_auth=True)
    assert type(error) is AuthenticationError
    assert error.status == 200


@pytest.mark.parametrize("body", [{"success": False}, {"success": False, "error": None}, [], "x"])
def test_200_without_a_slug_is_a_plain_api_error(body: Any) -> None:
    error = _error(200, body)
    assert type(error) is APIError
    assert error.code is None


RETRY_AFTER_ERROR_CASES: list[tuple[str, dict[str, str], float | None]] = [
    ("reset only", {"RateLimit-Limit": "300", "RateLimit-Remaining": "0", "RateLimit-Reset": "12"},
     12.0),
    ("reset alone without its siblings", {"RateLimit-Reset": "9"}, 9.0),
    ("retry-after only", {"Retry-After": "4"}, 4.0),
    ("retry-after longer", {"RateLimit-Reset": "3", "Retry-After": "20"}, 20.0),
    ("reset longer", {"RateLimit-Reset": "30", "Retry-After": "2"}, 30.0),
    ("zero reset", {"RateLimit-Reset": "0"}, 0.0),
    ("nothing", {}, None),
    ("garbage", {"RateLimit-Reset": "x", "Retry-After": "later"}, None),
]  # fmt: skip


@pytest.mark.parametrize("status", [429, 200])
@pytest.mark.parametrize(
    ("headers", "expected"),
    [case[1:] for case in RETRY_AFTER_ERROR_CASES],
    ids=[case[0] for case in RETRY_AFTER_ERROR_CASES],
)
def test_rate_limit_error_waits_for_the_longer_of_reset_and_retry_after(
    status: int, headers: dict[str, str], expected: float | None
) -> None:
    error = _error(status, {"success": False, "error": "rate_limited"}, headers)
    assert isinstance(error, RateLimitError)
    assert error.retry_after == expected


def test_error_carries_the_parsed_rate_limit() -> None:
    error = _error(
        404, None, {"RateLimit-Limit": "300", "RateLimit-Remaining": "17", "RateLimit-Reset": "5"}
    )
    assert error.rate_limit == RateLimitInfo(limit=300, remaining=17, reset=5)
    assert _error(404, None).rate_limit is None


def test_error_never_shows_a_token_echoed_by_the_server() -> None:
    body = {"success": False, "error": "Invalid token", "message": f"bad {JWT}", "token": JWT}
    error = _error(401, body)
    assert JWT not in str(error)
    assert JWT not in repr(error)
    assert JWT not in repr(error.body)
    assert error.message == "bad ***"


# --- unwrap_envelope (API §5, §6) -----------------------------------------------------------


def _unwrap(
    status: int, body: bytes, headers: Mapping[str, str] | None = None, *, is_auth: bool = False
) -> dict[str, Any]:
    return unwrap_envelope(
        status=status,
        body=body,
        method="POST" if is_auth else "GET",
        url="/auth" if is_auth else "/receipts/10950",
        headers=headers or {},
        is_auth=is_auth,
    )


@pytest.mark.parametrize(
    "envelope",
    [
        {"success": True, "data": [{"id": 1}], "total": 1, "sorts": ["id"]},
        {"success": True, "data": {"id": 10950}, "message": "Receipt closed"},
        {"success": True, "token": "t", "expires_at": 1767852332},
        {"data": [{"id": 1}]},  # API §5 "Known deviations": no success key
        {"data": [], "pagination": {"page": 1, "per_page": 50, "total": 0, "total_pages": 0}},
    ],
)
@pytest.mark.parametrize("status", [200, 201])
def test_unwrap_returns_successful_envelopes(status: int, envelope: dict[str, Any]) -> None:
    assert _unwrap(status, orjson.dumps(envelope)) == envelope


@pytest.mark.parametrize(
    ("envelope", "expected"),
    [
        ({"success": False, "error": "not_found", "message": "Receipt not found"}, NotFoundError),
        ({"success": False, "error": "validation_failed"}, BadRequestError),
        ({"success": False}, APIError),
        ({"success": "true", "data": {}}, APIError),  # success must be exactly true
        ({"success": 1, "data": {}}, APIError),
        ({"success": None, "data": {}}, APIError),
        ({"message": "no data, no success"}, APIError),
        ({}, APIError),
    ],
)
def test_unwrap_200_without_success_true_is_an_error_never_data(
    envelope: dict[str, Any], expected: type[APIError]
) -> None:
    with pytest.raises(APIError) as caught:
        _unwrap(200, orjson.dumps(envelope))
    assert type(caught.value) is expected
    assert caught.value.status == 200


def test_unwrap_200_success_false_at_auth_is_an_authentication_error() -> None:
    body = b'{"success": false, "message": "Integrator is in test mode. But brand is not"}'
    with pytest.raises(AuthenticationError) as caught:
        _unwrap(200, body, is_auth=True)
    assert (caught.value.status, caught.value.method, caught.value.url) == (200, "POST", "/auth")


@pytest.mark.parametrize(("status", "expected"), STATUS_CASES)
@pytest.mark.parametrize(
    "body",
    [b'{"success": false, "error": "x", "message": "m"}', b"<html>oops</html>", b""],
    ids=["json", "html", "empty"],
)
def test_unwrap_error_status_is_typed_even_when_the_body_is_not_json(
    status: int, expected: type[APIError], body: bytes
) -> None:
    with pytest.raises(APIError) as caught:
        _unwrap(status, body)
    assert type(caught.value) is expected
    assert caught.value.status == status


def test_unwrap_keeps_a_safe_excerpt_of_a_non_json_error_body() -> None:
    with pytest.raises(ServerError) as caught:
        _unwrap(502, b"<html>Bad Gateway " + JWT.encode() + b"</html>" + b"." * 5000)
    body = caught.value.body
    assert isinstance(body, str)
    assert body.startswith("<html>Bad Gateway ***</html>...")
    assert body.endswith("...")
    assert len(body) == EXCERPT_CHARS + len("...")
    with pytest.raises(ServerError) as empty:
        _unwrap(500, b"")
    assert empty.value.body is None


def test_unwrap_keeps_the_parsed_error_body_redacted() -> None:
    with pytest.raises(BadRequestError) as caught:
        _unwrap(400, b'{"success": false, "error": "x", "client_secret": "hunter2"}', is_auth=True)
    assert caught.value.body == {"success": False, "error": "x", "client_secret": "***"}


def test_unwrap_429_builds_a_rate_limit_error_with_its_wait() -> None:
    with pytest.raises(RateLimitError) as caught:
        _unwrap(
            429,
            b'{"success": false, "error": "rate_limited"}',
            {"RateLimit-Limit": "300", "RateLimit-Remaining": "0", "RateLimit-Reset": "17"},
        )
    assert caught.value.retry_after == 17.0
    assert caught.value.rate_limit == RateLimitInfo(limit=300, remaining=0, reset=17)


@pytest.mark.parametrize("body", [b"", b"<html>", b"not json", b'{"success": true'])
def test_unwrap_2xx_non_json_is_a_decode_error(body: bytes) -> None:
    with pytest.raises(DecodeError, match="not JSON"):
        _unwrap(200, body)


@pytest.mark.parametrize("body", [b"[]", b'[{"id": 1}]', b"true", b"3", b'"ok"', b"null"])
def test_unwrap_2xx_json_that_is_not_an_object_is_a_decode_error(body: bytes) -> None:
    with pytest.raises(DecodeError, match="not a JSON object"):
        _unwrap(200, body)


def test_unwrap_3xx_is_an_error_not_data() -> None:
    with pytest.raises(APIError) as caught:
        _unwrap(302, b'{"success": true, "data": []}')
    assert caught.value.status == 302


def _dumps(value: Any) -> bytes:
    # stdlib json: it writes integers beyond 64 bits, which orjson.dumps refuses to.
    return json.dumps(value).encode()


_envelopes = st.fixed_dictionaries(
    {},
    optional={
        "success": st.sampled_from([True, False, None, "true", 1, 0]),
        "data": _json,
        "error": _json,
        "message": _json,
    },
)


@given(
    status=st.integers(min_value=100, max_value=599),
    body=st.one_of(_envelopes.map(_dumps), _json.map(_dumps), st.binary()),
    headers=st.dictionaries(
        st.sampled_from(["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
                         "Retry-After", "ratelimit-reset", "X-Other"]),
        st.text(),
    ),
    is_auth=st.booleans(),
)  # fmt: skip
def test_unwrap_yields_a_dict_or_a_clopos_error(
    status: int, body: bytes, headers: dict[str, str], is_auth: bool
) -> None:
    outcome = _outcome(status=status, body=body, headers=headers, is_auth=is_auth)
    if isinstance(outcome, dict):
        assert 200 <= status < 300
        assert outcome.get("success", True) is True
    elif 200 <= status < 300:
        assert isinstance(outcome, (APIError, DecodeError))
    else:
        assert isinstance(outcome, APIError)
        assert outcome.status == status


def _outcome(**kwargs: Any) -> dict[str, Any] | CloposError:
    try:
        return unwrap_envelope(method="GET", url="/r", **kwargs)
    except CloposError as error:
        return error


def test_filter_value_alias_accepts_the_documented_shapes() -> None:
    values: Sequence[FilterValue] = ["x", 1, True, [1, "a"], ("b",)]
    query = encode_list_query(page=1, limit=1, filters=[("f", v) for v in values])
    assert len(query) == 2 + 2 * 3 + (1 + 2) + (1 + 1)


@pytest.mark.parametrize("status", [200, 500])
def test_a_hostile_deeply_nested_body_is_cut_not_a_crash(status: int) -> None:
    deep = b'{"a":' * 1000 + b"1" + b"}" * 1000
    with pytest.raises(APIError) as caught:
        _unwrap(status, b'{"success": false, "x": ' + deep + b"}")
    assert "..." in repr(caught.value.body)

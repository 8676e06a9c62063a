"""Bad requests get the documented 400s, never a 500 (API §6, §8): parsing and HTTP."""

from __future__ import annotations

import contextlib
import string
from collections.abc import AsyncIterator

import aiohttp
import pytest
import yarl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clopos_async.testing import SandboxServer
from clopos_async.testing._jwt import InvalidTokenError, decode, encode
from clopos_async.testing._query import INCLUDES, SORTS, Filter, ReceiptQuery, parse_receipt_list
from clopos_async.testing._wire import Rejected

KEYS = [
    "page", "limit", "sort[0]", "sort[1]", "date[0]", "date[1]", "with[0]", "with[]", "with[x]",
    "with", "filters[0][0]", "filters[0][1]", "filters[0][1][0]", "filters[1][0]",
    "filters[0][0][1]", "filters", "sort", "sort[2]", "date", "other",
]  # fmt: skip
VALUES = [
    "1", "-1", "0", "200", "201", "50", "2025-08-05", "2025-02-30", "created_at", "total",
    "status", "terminal_id", "sale_type_id", *INCLUDES, "", "1.5", "9" * 30, "٣",
]  # fmt: skip
text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12)
pairs = st.lists(
    st.tuples(st.sampled_from(KEYS) | text, st.sampled_from(VALUES) | text), max_size=8
)
#: One sandbox serves every example: the requests only read, so sharing it is sound.
OVER_HTTP = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
RAW_ALPHABET = string.ascii_letters + string.digits + "[]%&=-_.~!$'()*+,;:@/?"


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    # No limits: this test sends hundreds of 400s, which the flood tier would count.
    limits = {"auth_limit": None, "flood_limit": None, "tenant_limit": None}
    async with SandboxServer(receipts=80, **limits) as server:  # type: ignore[arg-type]
        yield server


@settings(OVER_HTTP, max_examples=60)
@given(query=pairs)
async def test_arbitrary_queries_to_receipts_get_200_or_400(
    sandbox: SandboxServer,
    http: aiohttp.ClientSession,
    headers: dict[str, str],
    query: list[tuple[str, str]],
) -> None:
    for path in ("/receipts", "/receipts/3"):
        async with http.get(sandbox.base_url + path, params=query, headers=headers) as response:
            body = await response.json()
            assert response.status in (200, 400), body
            assert body["success"] is (response.status == 200)
            if response.status == 400:
                assert body["error"] == "invalid_parameter"


@settings(OVER_HTTP, max_examples=40)
@given(raw=st.text(alphabet=RAW_ALPHABET, max_size=40))
async def test_arbitrary_raw_query_strings_get_200_or_400(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str], raw: str
) -> None:
    url = yarl.URL(f"{sandbox.base_url}/receipts?{raw}", encoded=True)
    async with http.get(url, headers=headers) as response:
        assert response.status in (200, 400), await response.text()


@given(query=pairs)
def test_the_parser_only_ever_rejects_with_400_invalid_parameter(
    query: list[tuple[str, str]],
) -> None:
    parsed = _parse(query)
    if isinstance(parsed, Rejected):
        assert (parsed.status, parsed.error) == (400, "invalid_parameter")
    else:
        assert 1 <= parsed.limit <= 200
        assert parsed.page >= 1
        assert parsed.sort in SORTS
        assert parsed.includes <= set(INCLUDES)


def _parse(query: list[tuple[str, str]]) -> ReceiptQuery | Rejected:
    try:
        return parse_receipt_list(query)
    except Rejected as rejected:
        return rejected


def test_the_parser_reads_every_documented_parameter() -> None:
    query = [
        ("page", "3"),
        ("limit", "25"),
        ("sort[0]", "total"),
        ("sort[1]", "1"),
        ("date[0]", "2025-08-01"),
        ("date[1]", "2025-08-07"),
        ("with[0]", "receipt_products"),
        ("with[]", "receipt_products.modificators"),
        ("filters[0][0]", "status"),
        ("filters[0][1]", "1"),
        ("filters[1][0]", "terminal_id"),
        ("filters[1][1][0]", "2"),
        ("filters[1][1][1]", "3"),
    ]
    parsed = parse_receipt_list(query)
    assert parsed.page == 3
    assert parsed.limit == 25
    assert (parsed.sort, parsed.descending) == ("total", False)
    assert (str(parsed.date_from), str(parsed.date_to)) == ("2025-08-01", "2025-08-07")
    assert parsed.includes == {"receipt_products", "receipt_products.modificators"}
    assert parsed.filters == (
        Filter(field="status", values=frozenset({1})),
        Filter(field="terminal_id", values=frozenset({2, 3})),
    )


def test_the_parser_defaults() -> None:
    assert parse_receipt_list([]) == ReceiptQuery(
        page=1, limit=50, sort="created_at", descending=True
    )


def test_jwt_round_trips_and_rejects_tampering() -> None:
    secret = b"k" * 32
    token = encode({"token": "oauth_x", "exp": 5}, secret)
    assert decode(token, secret) == {"token": "oauth_x", "exp": 5}
    header, payload, signature = token.split(".")
    for forged in (
        f"{header}.{payload}.{signature[::-1]}",
        f"{header}.{payload}x.{signature}",
        token + ".",
        "not-a-token",
    ):
        with pytest.raises(InvalidTokenError):
            decode(forged, secret)
    with pytest.raises(InvalidTokenError):
        decode(token, b"other")


@given(garbage=st.text(max_size=60))
def test_jwt_decode_never_raises_anything_else(garbage: str) -> None:
    with contextlib.suppress(InvalidTokenError):
        decode(garbage, b"secret")

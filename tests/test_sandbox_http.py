"""The sandbox's HTTP behaviour against API §3-§9.12, with raw aiohttp requests."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import aiohttp
import pytest
import yarl

from clopos_async.testing import SandboxServer
from clopos_async.testing._store import ReceiptStore
from tests.sandbox_http import mint_token


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(receipts=120, seed=3, open_ratio=0.25) as server:
        yield server


def auth_body(sb: SandboxServer, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = dict(
        client_id=sb.credentials.client_id,
        client_secret=sb.credentials.client_secret,
        brand=sb.credentials.brand,
        integrator_id=sb.credentials.integrator_id,
    )
    body.update(changes)
    return body


async def fetch(
    http: aiohttp.ClientSession, method: str, url: str, **kwargs: Any
) -> tuple[int, Any]:
    async with http.request(method, url, **kwargs) as response:
        return response.status, await response.json()


async def list_receipts(
    http: aiohttp.ClientSession, sb: SandboxServer, headers: dict[str, str], **params: Any
) -> tuple[int, Any]:
    query = [(key, str(value)) for key, value in params.items()]
    return await fetch(http, "GET", f"{sb.base_url}/receipts", params=query, headers=headers)


def jwt_claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


# --- POST /auth (API §3) ---------------------------------------------------------------


async def test_auth_returns_the_documented_fields_and_a_hs256_jwt(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    before = int(time.time())
    status, body = await fetch(http, "POST", f"{sandbox.base_url}/auth", json=auth_body(sandbox))
    assert status == 200
    assert set(body) == {"success", "token", "token_type", "expires_in", "expires_at", "message"}
    assert body["success"] is True
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert isinstance(body["expires_at"], int)
    assert before + 3599 <= body["expires_at"] <= int(time.time()) + 3600
    header = json.loads(base64.urlsafe_b64decode(body["token"].split(".")[0] + "=="))
    assert header == {"alg": "HS256", "typ": "JWT"}
    claims = jwt_claims(body["token"])
    assert claims["token"].startswith("oauth_")
    assert claims["brand"] == sandbox.credentials.brand
    assert claims["integrator_id"] == sandbox.credentials.integrator_id
    assert isinstance(claims["venue_id"], int)
    assert isinstance(claims["stage"], str)
    assert claims["exp"] == body["expires_at"]
    assert claims["exp"] - claims["iat"] in (3599, 3600)


@pytest.mark.parametrize("missing", ["client_id", "client_secret", "brand", "integrator_id"])
async def test_auth_without_a_field_is_400_naming_it(
    sandbox: SandboxServer, http: aiohttp.ClientSession, missing: str
) -> None:
    body = auth_body(sandbox)
    del body[missing]
    status, answer = await fetch(http, "POST", f"{sandbox.base_url}/auth", json=body)
    assert status == 400
    assert answer["success"] is False
    assert missing in answer["message"]


async def test_auth_with_a_body_that_is_not_json_is_400(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    status, answer = await fetch(http, "POST", f"{sandbox.base_url}/auth", data=b"{nope")
    assert status == 400
    assert all(name in answer["message"] for name in ("client_id", "brand", "integrator_id"))


async def test_auth_with_a_wrong_integrator_is_400_invalid_integrator_id(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    body = auth_body(sandbox, integrator_id="someone_else")
    status, answer = await fetch(http, "POST", f"{sandbox.base_url}/auth", json=body)
    assert (status, answer["message"]) == (400, "Invalid integrator_id")


@pytest.mark.parametrize("field", ["client_id", "client_secret", "brand"])
async def test_auth_with_wrong_credentials_is_401(
    sandbox: SandboxServer, http: aiohttp.ClientSession, field: str
) -> None:
    body = auth_body(sandbox, **{field: "wrong"})
    status, answer = await fetch(http, "POST", f"{sandbox.base_url}/auth", json=body)
    assert status == 401
    assert answer["success"] is False
    assert sandbox.credentials.client_secret not in json.dumps(answer)


async def test_auth_with_get_is_405(sandbox: SandboxServer, http: aiohttp.ClientSession) -> None:
    async with http.get(f"{sandbox.base_url}/auth") as response:
        assert response.status == 405
        assert response.headers["Allow"] == "POST"
        assert (await response.json())["error"] == "method_not_allowed"


async def test_token_ttl_sets_expires_in(http: aiohttp.ClientSession) -> None:
    async with SandboxServer(receipts=1, token_ttl=90) as sb:
        status, body = await fetch(http, "POST", f"{sb.base_url}/auth", json=auth_body(sb))
    assert status == 200
    assert body["expires_in"] == 90


# --- x-token (API §4, §6.3) -------------------------------------------------------------


async def test_missing_token_is_401_unauthorized(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    status, body = await fetch(http, "GET", f"{sandbox.base_url}/receipts")
    assert status == 401
    assert body == {
        "success": False,
        "error": "unauthorized",
        "message": "Missing authentication headers",
    }


def _tampered(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


@pytest.mark.parametrize("forge", [lambda t: f"Bearer {t}", _tampered, lambda t: t + "x"])
async def test_a_changed_token_is_401_invalid_token(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str], forge: Any
) -> None:
    forged = {"x-token": forge(headers["x-token"])}
    status, body = await fetch(http, "GET", f"{sandbox.base_url}/receipts", headers=forged)
    assert (status, body["error"], body["message"]) == (401, "unauthorized", "Invalid token")


async def test_another_sandboxes_token_is_401_invalid_token(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    async with SandboxServer(receipts=1, seed=3) as other:
        foreign = {"x-token": await mint_token(http, other)}
    status, body = await fetch(http, "GET", f"{sandbox.base_url}/receipts", headers=foreign)
    assert (status, body["message"]) == (401, "Invalid token")


async def test_garbage_token_is_401_invalid_token(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    for garbage in ("garbage", "a.b.c", "...", "é.é.é"):
        status, body = await fetch(
            http, "GET", f"{sandbox.base_url}/receipts", headers={"x-token": garbage}
        )
        assert (status, body["message"]) == (401, "Invalid token")


async def test_issued_tokens_lists_every_token_in_order(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    assert sandbox.issued_tokens == []
    first, second = await mint_token(http, sandbox), await mint_token(http, sandbox)
    assert sandbox.issued_tokens == [first, second]
    assert first != second


async def test_expire_tokens_makes_every_issued_token_expired(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    other = {"x-token": await mint_token(http, sandbox)}
    sandbox.expire_tokens()
    for used in (headers, other):
        status, body = await fetch(http, "GET", f"{sandbox.base_url}/receipts", headers=used)
        assert (status, body["error"], body["message"]) == (401, "unauthorized", "Token expired")
        assert isinstance(body["expires_at"], str)  # API §6.3: ISO-8601 on this body
    fresh = {"x-token": await mint_token(http, sandbox)}
    status, _ = await fetch(http, "GET", f"{sandbox.base_url}/receipts", headers=fresh)
    assert status == 200


async def test_a_token_expires_after_its_ttl(http: aiohttp.ClientSession) -> None:
    async with SandboxServer(receipts=1, token_ttl=1) as sb:
        token = {"x-token": await mint_token(http, sb)}
        status, _ = await fetch(http, "GET", f"{sb.base_url}/receipts", headers=token)
        assert status == 200
        await asyncio.sleep(1.1)
        status, body = await fetch(http, "GET", f"{sb.base_url}/receipts", headers=token)
    assert (status, body["message"]) == (401, "Token expired")


@pytest.mark.parametrize("venue", ["abc", "1.5", "-1", ""])
async def test_non_numeric_x_venue_is_400(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str], venue: str
) -> None:
    status, body = await fetch(
        http, "GET", f"{sandbox.base_url}/receipts", headers={**headers, "x-venue": venue}
    )
    assert (status, body["error"]) == (400, "invalid_parameter")


async def test_numeric_x_venue_is_accepted_and_logged_with_a_redacted_token(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    status, _ = await fetch(
        http, "GET", f"{sandbox.base_url}/receipts", headers={**headers, "x-venue": "7"}
    )
    assert status == 200
    entry = sandbox.requests("GET", "/receipts")[-1]
    assert entry.headers.get("X-Venue") == "7"
    assert entry.headers["x-token"] == "***"  # tokens never reach the log


# --- routing ----------------------------------------------------------------------------


async def test_unknown_paths_are_404_envelopes(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    for path in ("/orders", "/receipts/1/stock", "/", "/receipts/"):
        status, body = await fetch(http, "GET", sandbox.base_url + path, headers=headers)
        assert (status, body["success"], body["error"]) == (404, False, "not_found")


@pytest.mark.parametrize(
    "path",
    ["/receipts", "/receipts/1", "/open-api/v1/receipts", "/open-api/v2x/receipts", "/open-api"],
)
async def test_paths_outside_the_api_root_are_404(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str], path: str
) -> None:
    fault = sandbox.fault("/receipts*", status=500)  # nothing outside the root is faulted
    root = str(yarl.URL(sandbox.base_url).with_path("/"))
    status, body = await fetch(http, "GET", root.rstrip("/") + path, headers=headers)
    assert (status, body["success"], body["error"]) == (404, False, "not_found")
    assert "/open-api/v2" in body["message"]
    assert "data" not in body
    assert [(e.path, e.status) for e in sandbox.requests("GET")] == [(path, 404)]
    assert fault.matched == 0


async def test_auth_outside_the_api_root_is_404_and_issues_no_token(
    sandbox: SandboxServer, http: aiohttp.ClientSession
) -> None:
    url = str(yarl.URL(sandbox.base_url).with_path("/auth"))
    status, body = await fetch(http, "POST", url, json=auth_body(sandbox))
    assert (status, body["error"]) == (404, "not_found")
    assert "token" not in body
    assert sandbox.issued_tokens == []


async def test_wrong_method_is_405_envelope_with_allow(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    for method, path, allowed in (
        ("DELETE", "/receipts/1", "GET, PATCH"),
        ("POST", "/receipts", "GET"),
        ("GET", "/receipts/1/close", "POST"),
    ):
        async with http.request(method, sandbox.base_url + path, headers=headers) as response:
            assert response.status == 405
            assert response.headers["Allow"] == allowed
            assert (await response.json())["error"] == "method_not_allowed"


# --- GET /receipts (API §5, §8, §9.12) ---------------------------------------------------


async def test_list_envelope_has_the_documented_fields(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    status, body = await list_receipts(http, sandbox, headers)
    assert status == 200
    assert list(body) == ["success", "data", "total", "time", "timestamp", "unix", "sorts"]
    assert body["success"] is True
    assert body["total"] == 120
    assert len(body["data"]) == 50
    assert isinstance(body["time"], int)
    assert isinstance(body["unix"], int)
    stamp = datetime.strptime(body["timestamp"], "%Y-%m-%d %H:%M:%S")
    assert abs(stamp.replace(tzinfo=timezone.utc).timestamp() - body["unix"]) <= 1  # UTC, API §5
    assert "created_at" in body["sorts"]
    assert "products.type" in body["sorts"]
    assert all("receipt_products" not in row for row in body["data"])


async def test_list_defaults_to_newest_first_by_created_at_then_id(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    _, body = await list_receipts(http, sandbox, headers, limit=200)
    keys = [(row["created_at"], row["id"]) for row in body["data"]]
    assert keys == sorted(keys, reverse=True)
    assert len(keys) == 120


async def test_list_ascending_is_the_exact_reverse(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    _, desc = await list_receipts(http, sandbox, headers, limit=200)
    _, asc = await list_receipts(http, sandbox, headers, **{"limit": 200, "sort[1]": 1})
    assert [r["id"] for r in asc["data"]] == [r["id"] for r in reversed(desc["data"])]


@pytest.mark.parametrize("field", ["total", "status", "closed_at", "customer_id", "cid"])
@pytest.mark.parametrize("direction", [1, -1])
async def test_sorting_by_a_field_breaks_ties_by_id_in_the_same_direction(
    sandbox: SandboxServer,
    http: aiohttp.ClientSession,
    headers: dict[str, str],
    field: str,
    direction: int,
) -> None:
    params = {"limit": 200, "sort[0]": field, "sort[1]": direction}
    _, body = await list_receipts(http, sandbox, headers, **params)
    keys = [(*_null_first(row[field]), row["id"]) for row in body["data"]]
    assert keys == sorted(keys, reverse=direction == -1)
    assert len(keys) == 120


def _null_first(value: Any) -> tuple[Any, ...]:
    return (0, 0) if value is None else (1, value)


async def test_pages_partition_the_results_without_gaps_or_repeats(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    seen: list[int] = []
    for page in range(1, 5):
        params = {"page": page, "limit": 35, "sort[0]": "status"}
        _, body = await list_receipts(http, sandbox, headers, **params)
        assert body["total"] == 120
        seen += [row["id"] for row in body["data"]]
    assert len(seen) == 120
    assert sorted(seen) == sandbox.receipt_ids()


async def test_a_page_past_the_end_is_empty_with_the_total(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    _, body = await list_receipts(http, sandbox, headers, page=99, limit=10)
    assert (body["data"], body["total"]) == ([], 120)


async def test_date_range_is_inclusive_on_created_at_days(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    params = {"date[0]": "2025-08-05", "date[1]": "2025-08-09", "limit": 200}
    _, body = await list_receipts(http, sandbox, headers, **params)
    expected = sandbox.receipt_ids(date_from=date(2025, 8, 5), date_to=date(2025, 8, 9))
    assert sorted(row["id"] for row in body["data"]) == expected
    assert body["total"] == len(expected)
    assert {row["created_at"][:10] for row in body["data"]} <= {
        f"2025-08-0{day}" for day in range(5, 10)
    }
    assert expected  # 120 receipts over 31 days leave some in five days


async def test_only_date_0_means_from_that_day_on(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    _, body = await list_receipts(http, sandbox, headers, **{"date[0]": "2025-08-30"})
    assert body["total"] == len(sandbox.receipt_ids(date_from=date(2025, 8, 30)))


async def test_status_filter(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    params = {"filters[0][0]": "status", "filters[0][1]": 1, "limit": 200}
    _, body = await list_receipts(http, sandbox, headers, **params)
    assert {row["status"] for row in body["data"]} == {1}
    assert body["total"] == len(sandbox.receipt_ids(status=1)) > 0


async def test_array_filter_values_and_two_filters_combine(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    params = {
        "filters[0][0]": "sale_type_id",
        "filters[0][1][0]": 1,
        "filters[0][1][1]": 3,
        "filters[1][0]": "terminal_id",
        "filters[1][1]": 2,
        "limit": 200,
    }
    _, body = await list_receipts(http, sandbox, headers, **params)
    everything = [sandbox.receipt(i) for i in sandbox.receipt_ids()]
    expected = {
        r["id"] for r in everything if r["sale_type_id"] in (1, 3) and r["terminal_id"] == 2
    }
    assert {row["id"] for row in body["data"]} == expected
    assert body["total"] == len(expected)
    assert expected


@pytest.mark.parametrize("key", ["with[0]", "with[]"])
async def test_with_receipt_products_adds_lines_without_optional_parts(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str], key: str
) -> None:
    _, body = await list_receipts(http, sandbox, headers, **{key: "receipt_products"})
    for row in body["data"]:
        assert 1 <= len(row["receipt_products"]) <= 4
        for line in row["receipt_products"]:
            assert "modificators" not in line
            assert "product" not in line
            assert set(line["meta"]["product"]) == {"name", "type", "price", "barcode"}


async def test_nested_includes_add_modificators_unit_and_station(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    params = {
        "with[0]": "receipt_products.modificators",
        "with[1]": "receipt_products.product.unit",
        "with[2]": "receipt_products.product.station",
        "limit": 200,
    }
    _, body = await list_receipts(http, sandbox, headers, **params)
    lines = [line for row in body["data"] for line in row["receipt_products"]]
    assert all(isinstance(line["modificators"], list) for line in lines)
    assert any(line["modificators"] for line in lines)
    assert any(not line["modificators"] for line in lines)
    assert all({"unit", "station"} <= set(line["product"]) for line in lines)


async def test_only_the_unit_include_leaves_the_station_out(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    _, body = await list_receipts(
        http, sandbox, headers, **{"with[]": "receipt_products.product.unit"}
    )
    line = body["data"][0]["receipt_products"][0]
    assert "unit" in line["product"]
    assert "station" not in line["product"]
    assert "modificators" not in line


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"sort[1]": "2"}, "sort[1] must be 1 or -1"),
        ({"sort[1]": "asc"}, "sort[1] must be 1 or -1"),
        ({"sort[0]": "nope"}, "sort[0]"),
        ({"page": "0"}, "page"),
        ({"page": "x"}, "page"),
        ({"limit": "201"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1.5"}, "limit"),
        ({"date[0]": "2025-13-01"}, "date[0]"),
        ({"date[1]": "yesterday"}, "date[1]"),
        ({"with[0]": "customer"}, "with[0]"),
        ({"filters[0][0]": "total", "filters[0][1]": "5"}, "filters[0][0]"),
        ({"filters[0][0]": "status"}, "filters[0][1]"),
        ({"filters[0][1]": "1"}, "filters[0][0]"),
        ({"filters[0][0]": "status", "filters[0][1]": "open"}, "filters[0][1]"),
        ({"filters[x][0]": "status"}, "filters[x][0]"),
        ({"sort": "created_at"}, "sort"),
    ],
)
async def test_bad_list_parameters_are_400_invalid_parameter_naming_them(
    sandbox: SandboxServer,
    http: aiohttp.ClientSession,
    headers: dict[str, str],
    params: dict[str, str],
    named: str,
) -> None:
    status, body = await list_receipts(http, sandbox, headers, **params)
    assert (status, body["success"], body["error"]) == (400, False, "invalid_parameter")
    assert named in body["message"]


async def test_unknown_plain_parameters_are_ignored(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    status, body = await list_receipts(http, sandbox, headers, sort_by="total", foo="bar")
    assert status == 200
    assert body["total"] == 120


async def test_percent_encoded_brackets_are_accepted(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    url = f"{sandbox.base_url}/receipts?sort%5B0%5D=id&sort%5B1%5D=1&limit=3"
    status, body = await fetch(http, "GET", url, headers=headers)
    assert status == 200
    assert [row["id"] for row in body["data"]] == [1, 2, 3]


# --- GET /receipts/{id} -------------------------------------------------------------------


async def test_get_one_receipt(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    status, body = await fetch(http, "GET", f"{sandbox.base_url}/receipts/7", headers=headers)
    assert status == 200
    assert list(body) == ["success", "data", "time", "timestamp", "unix"]
    assert body["data"] == sandbox.receipt(7)


async def test_get_one_receipt_with_includes(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    params = [("with[]", "receipt_products"), ("with[]", "receipt_products.modificators")]
    url = f"{sandbox.base_url}/receipts/7"
    _, body = await fetch(http, "GET", url, headers=headers, params=params)
    wanted = ["receipt_products", "receipt_products.modificators"]
    assert body["data"] == sandbox.receipt(7, include=wanted)
    assert all("modificators" in line for line in body["data"]["receipt_products"])


@pytest.mark.parametrize("raw_id", ["999999", "0", "abc", "1e3", "99999999999999999999999"])
async def test_unknown_or_non_numeric_id_is_404_receipt_not_found(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str], raw_id: str
) -> None:
    status, body = await fetch(
        http, "GET", f"{sandbox.base_url}/receipts/{raw_id}", headers=headers
    )
    assert (status, body) == (
        404,
        {"success": False, "error": "not_found", "message": "Receipt not found"},
    )


async def test_get_with_an_unknown_include_is_400(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    url = f"{sandbox.base_url}/receipts/7"
    status, body = await fetch(http, "GET", url, headers=headers, params={"with[0]": "taxes"})
    assert (status, body["error"]) == (400, "invalid_parameter")


# --- PATCH /receipts/{id} -----------------------------------------------------------------


async def test_patch_changes_only_writable_fields(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    before = sandbox.receipt(3)
    changes = {"order_status": "READY", "order_number": "RPO-7", "fiscal_id": None, "lock": True}
    url = f"{sandbox.base_url}/receipts/3"
    status, body = await fetch(http, "PATCH", url, headers=headers, json=changes)
    assert status == 200
    after = sandbox.receipt(3)
    assert body["data"] == after
    assert {key: after[key] for key in changes} == changes
    assert after["updated_at"] >= before["updated_at"]
    unchanged = set(before) - set(changes) - {"updated_at"}
    assert {key: after[key] for key in unchanged} == {key: before[key] for key in unchanged}


@pytest.mark.parametrize(
    "changes",
    [{"total": 1}, {"order_status": "DONE"}, {"lock": "yes"}, {"order_number": 5}, {}, []],
)
async def test_patch_rejects_read_only_or_bad_values_with_400(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str], changes: Any
) -> None:
    before = sandbox.receipt(3)
    url = f"{sandbox.base_url}/receipts/3"
    status, body = await fetch(http, "PATCH", url, headers=headers, json=changes)
    assert (status, body["error"]) == (400, "validation_failed")
    assert sandbox.receipt(3) == before


# --- POST /receipts/{id}/close ----------------------------------------------------------


def payment_for(receipt: dict[str, Any], method_id: int = 1, name: str = "Cash") -> dict[str, Any]:
    return {"id": method_id, "name": name, "amount": receipt["total"]}


async def close(
    http: aiohttp.ClientSession,
    sb: SandboxServer,
    headers: dict[str, str],
    receipt_id: int,
    body: Any,
) -> tuple[int, Any]:
    url = f"{sb.base_url}/receipts/{receipt_id}/close"
    return await fetch(http, "POST", url, headers=headers, json=body)


async def test_close_applies_the_documented_change(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    receipt_id = sandbox.receipt_ids(status=1)[0]
    before = sandbox.receipt(receipt_id)
    half = Decimal(str(before["total"])) / 2
    amount = int(half) if isinstance(before["total"], int) else float(half)
    rest = Decimal(str(before["total"])) - Decimal(str(amount))
    payments = [
        {"id": 1, "name": "Cash", "amount": amount},
        {"id": 2, "name": "Card", "amount": int(rest) if isinstance(amount, int) else float(rest)},
    ]
    closed_at = _after(before["created_at"], minutes=30)
    status, body = await close(
        http, sandbox, headers, receipt_id, {"payment_methods": payments, "closed_at": closed_at}
    )
    assert status == 200
    assert list(body) == ["success", "message", "data", "time", "timestamp", "unix"]
    assert body["message"] == "Receipt closed"
    assert body["data"] == {"id": receipt_id, "closed_at": closed_at, "payment_methods": payments}
    after = sandbox.receipt(receipt_id)
    assert (after["status"], after["closed_at"], after["payment_methods"]) == (
        2,
        closed_at,
        payments,
    )
    assert after["remaining"] == 0
    assert after["updated_at"] != before["updated_at"]
    assert [(c.receipt_id, c.payment_methods, c.closed_at) for c in sandbox.closes] == [
        (receipt_id, payments, closed_at)
    ]


def _after(stamp: str, **delta: float) -> str:
    moment = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S") + timedelta(**delta)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


async def test_close_without_closed_at_uses_local_now(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    receipt_id = sandbox.receipt_ids(status=1)[0]
    before = datetime.now().replace(microsecond=0)
    status, body = await close(
        http,
        sandbox,
        headers,
        receipt_id,
        {"payment_methods": [payment_for(sandbox.receipt(receipt_id))]},
    )
    after = datetime.now()
    assert status == 200
    assert before <= datetime.strptime(body["data"]["closed_at"], "%Y-%m-%d %H:%M:%S") <= after


async def test_close_of_an_unknown_receipt_is_404(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    status, body = await close(
        http, sandbox, headers, 99999, {"payment_methods": [{"id": 1, "name": "Cash", "amount": 1}]}
    )
    assert (status, body["error"], body["message"]) == (404, "not_found", "Receipt not found")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"payment_methods": []},
        {"payment_methods": "cash"},
        {"payment_methods": [{"id": 1, "name": "Cash"}]},
        {"payment_methods": [{"id": "1", "name": "Cash", "amount": 1}]},
        {"payment_methods": [{"id": 1, "name": "", "amount": 1}]},
        {"payment_methods": [{"id": 1, "name": "Cash", "amount": -1}]},
        {"payment_methods": [{"id": 1, "name": "Cash", "amount": True}]},
        {"payment_methods": [5]},
        [],
        {"payment_methods": [{"id": 1, "name": "Cash", "amount": 1}], "closed_at": "2025-08-01"},
        {"payment_methods": [{"id": 1, "name": "Cash", "amount": 1}], "closed_at": 20250801},
    ],
)
async def test_close_with_a_bad_body_is_400_validation_failed(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str], body: Any
) -> None:
    receipt_id = sandbox.receipt_ids(status=1)[0]
    status, answer = await close(http, sandbox, headers, receipt_id, body)
    assert (status, answer["error"]) == (400, "validation_failed")
    assert sandbox.receipt(receipt_id)["status"] == 1
    assert sandbox.closes == []


async def test_close_with_a_body_that_is_not_json_is_400(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    receipt_id = sandbox.receipt_ids(status=1)[0]
    url = f"{sandbox.base_url}/receipts/{receipt_id}/close"
    status, answer = await fetch(http, "POST", url, headers=headers, data=b"payment_methods=1")
    assert (status, answer["error"]) == (400, "validation_failed")


async def test_close_of_a_closed_receipt_is_400_receipt_is_not_open(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    receipt_id = sandbox.receipt_ids(status=2)[0]
    before = sandbox.receipt(receipt_id)
    status, body = await close(
        http, sandbox, headers, receipt_id, {"payment_methods": [payment_for(before)]}
    )
    assert (status, body["error"], body["message"]) == (
        400,
        "validation_failed",
        "Receipt is not open",
    )
    assert sandbox.receipt(receipt_id) == before


@pytest.mark.parametrize("seconds", [0, -1, -86400])
async def test_close_at_or_before_created_at_is_400(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str], seconds: int
) -> None:
    receipt_id = sandbox.receipt_ids(status=1)[0]
    receipt = sandbox.receipt(receipt_id)
    body = {
        "payment_methods": [payment_for(receipt)],
        "closed_at": _after(receipt["created_at"], seconds=seconds),
    }
    status, answer = await close(http, sandbox, headers, receipt_id, body)
    assert (status, answer["error"]) == (400, "validation_failed")
    assert answer["message"] == "closed_at must be greater than created_at"


@pytest.mark.parametrize("cents", [-1, 1])
async def test_close_with_payments_off_the_total_is_400(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str], cents: int
) -> None:
    receipt_id = sandbox.receipt_ids(status=1)[0]
    total = sandbox.receipt(receipt_id)["total"]
    amount = (
        total + cents
        if isinstance(total, int)
        else float(Decimal(str(total)) + Decimal(cents) / 100)
    )
    body = {"payment_methods": [{"id": 1, "name": "Cash", "amount": amount}]}
    status, answer = await close(http, sandbox, headers, receipt_id, body)
    assert (status, answer["error"]) == (400, "validation_failed")
    assert str(Decimal(str(total))) in answer["message"]
    assert sandbox.receipt(receipt_id)["status"] == 1


async def test_close_accepts_a_float_for_an_integral_total(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    receipt_id = next(
        rid
        for rid in sandbox.receipt_ids(status=1)
        if isinstance(sandbox.receipt(rid)["total"], int)
    )
    total = sandbox.receipt(receipt_id)["total"]
    body = {"payment_methods": [{"id": 2, "name": "Card", "amount": float(total)}]}
    status, _ = await close(http, sandbox, headers, receipt_id, body)
    assert status == 200
    assert sandbox.receipt(receipt_id)["by_card"] == total


async def test_close_directly_is_not_recorded_as_an_api_close(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    receipt_id = sandbox.receipt_ids(status=1)[0]
    receipt = sandbox.receipt(receipt_id)
    theirs = [{"id": 3, "name": "Bonus", "amount": receipt["total"]}]
    sandbox.close_directly(receipt_id, theirs, closed_at=_after(receipt["created_at"], hours=1))
    after = sandbox.receipt(receipt_id)
    assert (after["status"], after["payment_methods"]) == (2, theirs)
    assert after["closed_at"] == _after(receipt["created_at"], hours=1)
    assert sandbox.closes == []
    status, body = await close(
        http, sandbox, headers, receipt_id, {"payment_methods": [payment_for(receipt)]}
    )
    assert (status, body["message"]) == (400, "Receipt is not open")


# --- state changes reach every view -------------------------------------------------------


async def test_a_close_is_visible_in_sorted_lists_and_include_variants(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    receipt_id = sandbox.receipt_ids(status=1)[0]
    by_status = {"limit": 200, "sort[0]": "status", "sort[1]": 1}
    _, before = await list_receipts(http, sandbox, headers, **by_status)
    url = f"{sandbox.base_url}/receipts/{receipt_id}"
    with_lines = {"with[0]": "receipt_products"}
    _, one_before = await fetch(http, "GET", url, headers=headers, params=with_lines)
    receipt = sandbox.receipt(receipt_id)
    status, _ = await close(
        http, sandbox, headers, receipt_id, {"payment_methods": [payment_for(receipt)]}
    )
    assert status == 200
    _, after = await list_receipts(http, sandbox, headers, **by_status)
    _, one_after = await fetch(http, "GET", url, headers=headers, params=with_lines)
    open_before = [r["id"] for r in before["data"] if r["status"] == 1]
    open_after = [r["id"] for r in after["data"] if r["status"] == 1]
    assert open_after == [i for i in open_before if i != receipt_id]
    assert [r["status"] for r in after["data"]] == sorted(r["status"] for r in after["data"])
    assert (one_before["data"]["status"], one_after["data"]["status"]) == (1, 2)
    assert one_after["data"]["receipt_products"] == one_before["data"]["receipt_products"]


@pytest.mark.parametrize(("direction", "reverse"), [(1, False), (-1, True)])
async def test_line_item_sorts_are_accepted_and_deterministic(
    sandbox: SandboxServer,
    http: aiohttp.ClientSession,
    headers: dict[str, str],
    direction: int,
    reverse: bool,
) -> None:
    # products.status has no value on our lines: every key ties, so id decides.
    params = {"limit": 200, "sort[0]": "products.status", "sort[1]": direction}
    status, body = await list_receipts(http, sandbox, headers, **params)
    assert status == 200
    assert [r["id"] for r in body["data"]] == sorted(sandbox.receipt_ids(), reverse=reverse)
    params["sort[0]"] = "products.type"
    status, body = await list_receipts(http, sandbox, headers, **params)
    assert status == 200
    assert body["total"] == 120


async def test_patch_works_on_closed_receipts(
    sandbox: SandboxServer, http: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    receipt_id = sandbox.receipt_ids(status=2)[0]
    url = f"{sandbox.base_url}/receipts/{receipt_id}"
    status, body = await fetch(http, "PATCH", url, headers=headers, json={"fiscal_id": "F-1"})
    assert status == 200
    assert body["data"]["fiscal_id"] == "F-1"
    assert sandbox.receipt(receipt_id)["status"] == 2


async def test_an_internal_failure_is_a_logged_500_envelope(
    sandbox: SandboxServer,
    http: aiohttp.ClientSession,
    headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(ReceiptStore, "page", broken)  # the class: no private attribute read
    status, body = await list_receipts(http, sandbox, headers)
    assert (status, body["success"], body["error"]) == (500, False, "internal_error")
    assert "simulated bug" in caplog.text


async def test_client_points_a_clopos_client_at_the_sandbox(sandbox: SandboxServer) -> None:
    async with sandbox.client() as clopos:
        page = await clopos.receipts.list(limit=5)
    assert page.total == 120
    assert [r.id for r in page.items] == sorted(sandbox.receipt_ids(), reverse=True)[:5]
    assert [entry.path for entry in sandbox.log] == ["/auth", "/receipts"]

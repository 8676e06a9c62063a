"""Secrets never leak, the environment is read only by from_env(), no resource warnings."""

from __future__ import annotations

import logging
import pickle

import pytest

from clopos_async import (
    APIError,
    ClientValueError,
    CloposClient,
    CloposError,
    Credentials,
    RetryPolicy,
)
from clopos_async._settings import settings_from_env
from clopos_async.testing import SandboxServer

FAST = RetryPolicy(max_attempts=2, base=0.01, cap=0.01)


async def test_no_secret_or_token_in_logs_reprs_or_errors(
    sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="clopos_async")
    secret = sandbox.credentials.client_secret
    errors: list[CloposError] = []
    sandbox.fault("/receipts/3", status=500)
    sandbox.fault("/receipts/4", status=400)
    async with sandbox.client(retry=FAST) as clopos:
        await clopos.receipts.get(1)
        sandbox.expire_tokens()
        await clopos.receipts.get(2)  # 401, re-auth, replay
        for receipt_id in (3, 4, 10**9):
            try:
                await clopos.receipts.get(receipt_id)
            except CloposError as exc:
                errors.append(exc)
        tokens = [t for t in sandbox.issued_tokens]
        texts = [caplog.text, repr(clopos), str(clopos), repr(sandbox.credentials)]
    texts += [str(e) for e in errors] + [repr(e) for e in errors]
    texts += [repr(getattr(e, "body", None)) for e in errors]
    assert len(errors) == 3
    assert len(tokens) == 2
    assert "retrying" in caplog.text  # the log really covered retries
    for text in texts:
        assert secret not in text
        for token in tokens:
            assert token not in text


def test_credentials_repr_hides_the_secret() -> None:
    creds = Credentials(client_id="id", client_secret="s3cr3t-value", brand="b", integrator_id="i")
    assert "s3cr3t-value" not in repr(creds)
    assert "s3cr3t-value" not in str(creds)


def test_empty_secret_error_does_not_echo_the_value() -> None:
    with pytest.raises(ClientValueError, match="client_secret"):
        Credentials(client_id="id", client_secret="", brand="b", integrator_id="i")


def test_api_errors_pickle_for_worker_processes() -> None:
    exc = APIError(status=418, code="teapot", message="no", method="GET", url="/x", body={"a": 1})
    again = pickle.loads(pickle.dumps(exc))
    assert (again.status, again.code, str(again)) == (418, "teapot", str(exc))


def test_error_body_is_redacted() -> None:
    exc = APIError(
        status=400, code=None, message=None, method="POST", url="/auth", body={"token": "abc"}
    )
    assert "abc" not in repr(exc.body)


ENV = {
    "CLOPOS_CLIENT_ID": "id",
    "CLOPOS_CLIENT_SECRET": "secret",
    "CLOPOS_BRAND": "brand",
    "CLOPOS_INTEGRATOR_ID": "integrator",
}


def test_from_env_prefers_the_four_credentials() -> None:
    settings = settings_from_env({**ENV, "CLOPOS_TOKEN": "tok", "CLOPOS_VENUE_ID": "3"})
    assert settings["credentials"].brand == "brand"
    assert "token" not in settings
    assert settings["venue_id"] == 3


def test_from_env_falls_back_to_the_token() -> None:
    settings = settings_from_env({"CLOPOS_TOKEN": "tok", "CLOPOS_BASE_URL": "http://x"})
    assert settings == {"token": "tok", "base_url": "http://x"}


def test_from_env_with_nothing_names_the_variables() -> None:
    with pytest.raises(ClientValueError, match="CLOPOS_TOKEN") as info:
        settings_from_env({"CLOPOS_CLIENT_ID": "only-one"})
    assert "CLOPOS_CLIENT_SECRET" in str(info.value)


def test_from_env_reads_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CLOPOS_BASE_URL", "http://127.0.0.1:9")
    client = CloposClient.from_env()
    assert "brand='brand'" in repr(client)


def test_constructor_does_not_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOPOS_TOKEN", "tok")
    with pytest.raises(ClientValueError):
        CloposClient()


def test_api_error_masks_tokens_however_it_is_built() -> None:
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
    exc = APIError(
        status=401,
        code=f"bad {jwt}",
        message=f"Invalid token {jwt}",
        method="GET",
        url="/receipts",
        body={"message": f"token={jwt}", "nested": [{"x-token": "raw"}]},
    )
    for text in (str(exc), repr(exc), repr(exc.body), str(exc.code)):
        assert jwt not in text
        assert "raw" not in text

"""Secrets the server echoes back are masked literally, wherever they land (issue 9 item 8).

The client knows its client secret, its static token and the tokens it minted, so
it masks those values in ``str(exc)``, ``exc.body`` and log lines, whatever the
text around them: no pattern has to recognise them.
"""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clopos_async import (
    APIError,
    AuthenticationError,
    CloposClient,
    Credentials,
    RetryPolicy,
    ServerError,
)
from clopos_async._redact import MIN_LITERAL, Masker
from clopos_async.testing import SandboxServer

FAST = RetryPolicy(max_attempts=2, base=0.01, cap=0.01)
_PLAIN = st.characters(exclude_characters="*", exclude_categories=["Cs"])


def _texts(exc: APIError, caplog: pytest.LogCaptureFixture) -> list[str]:
    return [str(exc), repr(exc), repr(exc.body), str(exc.message), caplog.text]


async def test_an_auth_failure_quoting_the_secret_is_masked(
    sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="clopos_async")
    sandbox.echo_secrets = True
    good = sandbox.credentials
    secret = "wrong-but-still-secret-42"
    bad = Credentials(
        client_id=good.client_id,
        client_secret=secret,
        brand=good.brand,
        integrator_id=good.integrator_id,
    )
    async with CloposClient(credentials=bad, base_url=sandbox.base_url, retry=FAST) as clopos:
        with pytest.raises(AuthenticationError) as caught:
            await clopos.authenticate()
    assert "Invalid client credentials (***)" in str(caught.value)  # the echo really came
    for text in _texts(caught.value, caplog):
        assert secret not in text


async def test_a_text_plain_500_holding_the_secret_is_masked(
    sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="clopos_async")
    secret = sandbox.credentials.client_secret
    page = f"Traceback (most recent call last): config={{'auth': '{secret}'}} failed"
    sandbox.fault("/receipts/1", status=500, text=page)
    async with sandbox.client(retry=FAST) as clopos:
        with pytest.raises(ServerError) as caught:
            await clopos.receipts.get(1)
    assert "Traceback" in repr(caught.value.body)  # the body really is kept
    assert "retrying" in caplog.text
    for text in _texts(caught.value, caplog):
        assert secret not in text


async def test_a_401_quoting_a_static_non_jwt_token_is_masked(
    sandbox: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="clopos_async")
    sandbox.echo_secrets = True
    token = "static-api-token-0123456789"
    async with CloposClient(token=token, base_url=sandbox.base_url, retry=FAST) as clopos:
        with pytest.raises(AuthenticationError) as caught:
            await clopos.receipts.get(1)
    assert "Invalid token ***" in str(caught.value)
    for text in _texts(caught.value, caplog):
        assert token not in text


@given(
    secret=st.text(_PLAIN, min_size=MIN_LITERAL, max_size=40),
    before=st.text(_PLAIN, max_size=30),
    after=st.text(_PLAIN, max_size=30),
)
def test_a_known_secret_never_survives_masking(secret: str, before: str, after: str) -> None:
    masker = Masker([secret])
    text = before + secret + after
    assert secret not in masker.text(text)
    assert secret not in repr(masker.value({"message": text, "list": [text], text: 1}))


def test_short_values_are_not_masked_literally() -> None:
    # A one-letter "token" would otherwise blank every such letter in every message.
    assert Masker(["t"]).text("timeout") == "timeout"

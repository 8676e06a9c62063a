"""Messages users read: close conflicts in payment words, hostile values, broken 429 headers."""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest

from clopos_async import (
    ClientValueError,
    CloseConflictError,
    PaymentMethod,
    RateLimitError,
)
from clopos_async._protocol import error_for
from clopos_async.testing import SandboxServer


class Hostile:
    """A value whose repr raises: a message about it must still be built."""

    def __repr__(self) -> str:
        raise RuntimeError("boom")


def test_a_close_conflict_reads_as_payments() -> None:
    exc = CloseConflictError(
        7,
        expected=[PaymentMethod(id=2, name="Cash", amount=Decimal(8140))],
        actual=[PaymentMethod(id=1, name="Card", amount=Decimal("14.64"))],
    )
    assert str(exc) == (
        "receipt 7 was closed by someone else: paid 2 Cash 8140 ≠ closed with 1 Card 14.64"
    )
    assert "PaymentMethod(" not in str(exc)
    assert str(pickle.loads(pickle.dumps(exc))) == str(exc)


def test_a_close_conflict_of_an_odd_shape_still_has_a_message() -> None:
    assert "nothing" in str(CloseConflictError(1, expected=[], actual=[]))
    assert "<Hostile>" in str(CloseConflictError(1, expected=Hostile(), actual=None))


@pytest.mark.parametrize(
    ("payments", "words"),
    [
        (Hostile(), "payment_methods=<Hostile"),
        ([Hostile()], "payment_methods[0]=<Hostile"),
    ],
)
async def test_close_with_a_hostile_value_is_a_client_value_error(
    payments: object, words: str
) -> None:
    async with SandboxServer(receipts=20) as sandbox, sandbox.client() as clopos:
        with pytest.raises(ClientValueError) as caught:
            await clopos.receipts.close(1, payments)  # type: ignore[arg-type]
        assert words in str(caught.value)
        assert sandbox.log == []


async def test_close_with_a_hostile_expected_total_is_a_client_value_error() -> None:
    async with SandboxServer(receipts=20) as sandbox, sandbox.client() as clopos:
        pay = [PaymentMethod(id=1, name="Cash", amount=Decimal(1))]
        with pytest.raises(ClientValueError, match="expected_total=<Hostile"):
            await clopos.receipts.close(1, pay, expected_total=Hostile())  # type: ignore[arg-type]
        assert sandbox.log == []


@pytest.mark.parametrize(
    ("headers", "retry_after"),
    [
        ({"RateLimit-Reset": "1700000000", "Retry-After": "3"}, 3.0),  # an epoch by mistake
        ({"RateLimit-Reset": "1700000000"}, None),
        ({"RateLimit-Reset": "12", "Retry-After": "3"}, 12.0),
    ],
)
def test_a_429_reset_that_is_an_epoch_is_ignored(
    headers: dict[str, str], retry_after: float | None
) -> None:
    exc = error_for(status=429, body=None, method="GET", url="/receipts", headers=headers)
    assert isinstance(exc, RateLimitError)
    assert exc.retry_after == retry_after

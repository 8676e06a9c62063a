"""Bad arguments are a ClientValueError at construction or call time, and nothing is sent.

Issue 9 item 7: each of these used to escape as a TypeError, ValueError, OverflowError or
AttributeError (or, worse, was sent): orjson refusing a 64-bit-plus int at send time, an
infinite Decimal sent as ``null``, a CR/LF token, a ``base_url`` with a query, a bool
request budget, a wrong-typed session/clock/backend, and a value whose ``__repr__`` raises.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clopos_async import ClientValueError, CloposClient, PaymentMethod, RateLimit, RetryPolicy
from clopos_async._validation import MAX_WIRE_INT, RECEIPT_FILTERS
from clopos_async.testing import SandboxServer

BASE = "http://127.0.0.1:9/open-api/v2"


class HostileRepr:
    """A value whose ``__repr__`` raises something that is not even an Exception subclass."""

    def __repr__(self) -> str:
        raise RuntimeError("repr exploded")


class HostileInt(int):
    """An int whose repr raises: it passes isinstance(int) checks."""

    def __repr__(self) -> str:
        raise RuntimeError("repr exploded")


def _raises_client_value_error(build: Callable[[], object]) -> str:
    with pytest.raises(ClientValueError) as caught:
        build()
    return str(caught.value)


# --- payments: what orjson cannot encode, or would encode as null -------------------------


@given(
    amount=st.one_of(
        st.integers(min_value=MAX_WIRE_INT + 1), st.integers(max_value=-MAX_WIRE_INT - 1)
    )
)
def test_an_integer_amount_past_64_bits_is_refused(amount: int) -> None:
    _raises_client_value_error(lambda: PaymentMethod(id=1, name="Cash", amount=amount))


@given(exponent=st.integers(min_value=309, max_value=10**6))
def test_a_decimal_amount_a_float_cannot_hold_is_refused(exponent: int) -> None:
    amount = Decimal(f"1e{exponent}")  # float() of it is inf: orjson would send null
    _raises_client_value_error(lambda: PaymentMethod(id=1, name="Cash", amount=amount))


def test_an_amount_that_would_lose_digits_on_the_wire_is_refused() -> None:
    amount = Decimal("0.12345678901234567890123")  # a float keeps ~17 significant digits
    _raises_client_value_error(lambda: PaymentMethod(id=1, name="Cash", amount=amount))


@given(
    amount=st.decimals(
        allow_nan=False, allow_infinity=False, places=2, max_value=10**12, min_value=-(10**12)
    )
)
def test_ordinary_amounts_are_still_accepted(amount: Decimal) -> None:
    assert PaymentMethod(id=1, name="Cash", amount=amount).amount == amount


@given(payment_id=st.integers(min_value=MAX_WIRE_INT + 1))
def test_a_payment_id_past_64_bits_is_refused(payment_id: int) -> None:
    _raises_client_value_error(lambda: PaymentMethod(id=payment_id, name="Cash", amount=1))


# --- the constructor ------------------------------------------------------------------------


@given(token=st.text(min_size=1).filter(lambda t: any(not ("\x21" <= c <= "\x7e") for c in t)))
def test_a_token_that_is_not_a_header_value_is_refused_and_never_shown(token: str) -> None:
    message = _raises_client_value_error(lambda: CloposClient(token=token, base_url=BASE))
    assert message.startswith("token=*** is not allowed")  # a fixed text: never the value


@given(
    suffix=st.sampled_from(["?x=1", "?", "#frag", "/v2?a=b", "#"]),
    host=st.sampled_from(["https://h.example", "http://127.0.0.1:8080/open-api/v2"]),
)
def test_a_base_url_with_a_query_or_fragment_is_refused(host: str, suffix: str) -> None:
    _raises_client_value_error(lambda: CloposClient(token="t", base_url=host + suffix))


@pytest.mark.parametrize(
    "base_url", ["https://", "http://user:pw@h.example", "http://h.example:port", "https://h x"]
)
def test_a_base_url_without_a_usable_host_is_refused(base_url: str) -> None:
    _raises_client_value_error(lambda: CloposClient(token="t", base_url=base_url))


@pytest.mark.parametrize("name", ["session", "clock"])
@given(value=st.one_of(st.integers(), st.text(), st.just(object()), st.just(HostileRepr())))
def test_a_wrong_typed_session_or_clock_is_refused(name: str, value: object) -> None:
    kwargs: dict[str, Any] = {name: value}
    message = _raises_client_value_error(lambda: CloposClient(token="t", base_url=BASE, **kwargs))
    assert message.startswith(f"{name}=")


@given(value=st.one_of(st.booleans(), st.integers(max_value=0), st.integers(min_value=10**9 + 1)))
def test_rate_limit_requests_must_be_a_real_count(value: int) -> None:
    _raises_client_value_error(lambda: RateLimit(requests=value))
    _raises_client_value_error(lambda: RateLimit(auth_requests=value))


@given(value=st.one_of(st.integers(), st.text(), st.just(object()), st.just(HostileRepr())))
def test_a_rate_limit_backend_without_the_backend_methods_is_refused(value: object) -> None:
    _raises_client_value_error(lambda: RateLimit(backend=value))  # type: ignore[arg-type]


@given(value=st.integers(min_value=10**300))
def test_huge_seconds_are_refused_not_overflowed(value: int) -> None:
    _raises_client_value_error(lambda: RetryPolicy(deadline=value))
    _raises_client_value_error(lambda: RateLimit(window=value))


# --- hostile reprs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda: PaymentMethod(id=HostileRepr(), name="Cash", amount=1),  # type: ignore[arg-type]
        lambda: PaymentMethod(id=1, name=HostileRepr(), amount=1),  # type: ignore[arg-type]
        lambda: PaymentMethod(id=1, name="Cash", amount=HostileRepr()),  # type: ignore[arg-type]
        lambda: PaymentMethod(id=HostileInt(2**64), name="Cash", amount=1),
        lambda: RateLimit(requests=HostileRepr()),  # type: ignore[arg-type]
        lambda: RetryPolicy(deadline=HostileRepr()),  # type: ignore[arg-type]
        lambda: CloposClient(token="t", base_url=HostileRepr()),  # type: ignore[arg-type]
        lambda: CloposClient(token="t", base_url=BASE, retry=HostileRepr()),  # type: ignore[arg-type]
    ],
)
def test_a_value_whose_repr_raises_still_gets_a_client_value_error(
    build: Callable[[], object],
) -> None:
    assert "object>" in _raises_client_value_error(build)


# --- call time: nothing reaches the sandbox -------------------------------------------------


@given(max_items=st.integers(min_value=MAX_WIRE_INT + 1))
def test_max_items_past_64_bits_is_refused(max_items: int) -> None:
    clopos = CloposClient(token="t", base_url=BASE)
    _raises_client_value_error(lambda: clopos.receipts.list(max_items=max_items))


@given(name=st.text().filter(lambda n: n not in RECEIPT_FILTERS))
def test_an_unknown_receipt_filter_field_is_refused(name: str) -> None:
    clopos = CloposClient(token="t", base_url=BASE)
    _raises_client_value_error(lambda: clopos.receipts.list(filters={name: 1}))


BAD_CALLS: list[tuple[str, Callable[[CloposClient], Any]]] = [
    ("max_items", lambda c: c.receipts.list(max_items=10**400)),
    ("filters", lambda c: c.receipts.list(filters={"total": 5})),
    ("receipt id", lambda c: c.receipts.get(2**64)),
    (
        "payment id",
        lambda c: c.receipts.close(1, [{"id": 2**64, "name": "Cash", "amount": 1}]),
    ),
    (
        "amount",
        lambda c: c.receipts.close(1, [{"id": 1, "name": "Cash", "amount": 10**20}]),
    ),
    (
        "infinite amount",
        lambda c: c.receipts.close(1, [{"id": 1, "name": "Cash", "amount": Decimal("1e400")}]),
    ),
    ("json", lambda c: c.request("POST", "/receipts", json={"n": 2**64})),
]


@pytest.mark.parametrize("call", [c for _, c in BAD_CALLS], ids=[n for n, _ in BAD_CALLS])
async def test_bad_call_arguments_send_nothing(
    sandbox: SandboxServer, call: Callable[[CloposClient], Any]
) -> None:
    async with sandbox.client() as clopos:
        with pytest.raises(ClientValueError):
            result = call(clopos)
            if hasattr(result, "__await__"):
                await result
    assert sandbox.log == []  # not even POST /auth

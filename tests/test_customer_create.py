"""``customers.create``: exactly one customer per cid, whatever fails (DESIGN §2, API §9.5)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clopos_async import ClientValueError, ConflictError, RetryPolicy
from clopos_async.testing import SandboxServer, StateChange

FAST = RetryPolicy(max_attempts=4, base=0.01, cap=0.02)
CID = "5b0d3c9e-6f4a-4c1e-9a77-2f6f0d8b1c42"


async def _settled(sandbox: SandboxServer) -> None:
    """Wait until every POST the sandbox received has been handled (delayed ones too)."""
    for _ in range(200):
        # elapsed is set when the handler finished, even when it dropped the connection.
        if all(entry.elapsed > 0 for entry in sandbox.requests("POST", "/customers")):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("a POST /customers never finished")


async def test_create_sends_a_uuid4_cid_and_returns_the_customer(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        made = await client.customers.create(
            name="Nurlan Aliyev", phone="+994501112233", email="n@example.com",
            group_id=2, gender=1, date_of_birth=date(1990, 5, 17), code="WEB-1",
        )  # fmt: skip
    (change,) = sandbox.changes
    assert change == StateChange(
        resource="customers", action="create", id=int(made.id), key=made.cid
    )
    assert uuid.UUID(str(made.cid)).version == 4
    assert made.date_of_birth == date(1990, 5, 17)
    assert (made.phones, made.group_id, made.is_verified) == (("+994501112233",), 2, False)
    assert sandbox.rows("customers")[-1]["id"] == made.id
    assert len(sandbox.requests("POST", "/customers")) == 1
    assert sandbox.requests("GET", "/customers") == []


@pytest.mark.parametrize(
    "fault",
    [
        {"reset": "after"},
        {"status": 502, "apply": True},
        {"status": 500, "apply": True},
        {"delay": 0.6},  # past the client's 0.2 s timeout; the first POST still applies
    ],
    ids=["reset-after-apply", "502-after-apply", "500-after-apply", "delay-past-timeout"],
)
async def test_an_ambiguous_failure_still_makes_exactly_one_customer(
    sandbox: SandboxServer, fault: dict[str, Any]
) -> None:
    sandbox.fault("/customers", method="POST", attempts=[1], **fault)
    async with sandbox.client(retry=FAST, timeout=0.2) as client:
        made = await client.customers.create(name="Aliyev Test", phone="+994509990000", cid=CID)
    await _settled(sandbox)
    (change,) = sandbox.changes
    assert (change.id, change.key) == (made.id, CID)
    assert made.cid == CID
    assert made.phone == "+994509990000"
    assert len(sandbox.requests("POST", "/customers")) == 2  # the resend, never a third


async def test_a_reset_before_the_endpoint_is_resent_and_creates_once(
    sandbox: SandboxServer,
) -> None:
    sandbox.fault("/customers", method="POST", attempts=[1], reset="before")
    async with sandbox.client(retry=FAST) as client:
        made = await client.customers.create(name="Once", cid=CID)
    assert [(c.id, c.key) for c in sandbox.changes] == [(made.id, CID)]
    assert sandbox.requests("GET", "/customers") == []  # created by the resend, no lookup


async def test_a_redelivered_call_returns_the_first_customer(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        first = await client.customers.create(name="Gunel Aliyeva", phone="+994507770001", cid=CID)
        again = await client.customers.create(name="Gunel Aliyeva", phone="+994507770001", cid=CID)
    assert again == first
    assert len(sandbox.changes) == 1
    (lookup,) = sandbox.requests("GET", "/customers")
    assert ("filters[0][0]", "name") in lookup.query  # found by name, matched by cid


@pytest.mark.parametrize("latency", [0.0, 0.01, 0.03])
@pytest.mark.parametrize("callers", [2, 5])
async def test_concurrent_duplicates_make_one_customer(
    sandbox: SandboxServer, latency: float, callers: int
) -> None:
    sandbox.latency = latency
    async with sandbox.client(retry=FAST) as client:
        made = await asyncio.gather(
            *(client.customers.create(name="Same Person", cid=CID) for _ in range(callers))
        )
    assert len({m.id for m in made}) == 1
    assert [c.key for c in sandbox.changes] == [CID]


async def test_a_phone_that_is_someone_elses_is_a_conflict(sandbox: SandboxServer) -> None:
    taken = sandbox.rows("customers")[3]["phone"]
    async with sandbox.client() as client:
        with pytest.raises(ConflictError) as conflict:
            await client.customers.create(name="Somebody New", phone=taken)
    assert conflict.value.code == "duplicate_phone"
    assert sandbox.changes == []
    assert len(sandbox.requests("GET", "/customers")) == 1  # looked, and it was not ours


async def test_a_code_that_is_someone_elses_after_an_ambiguous_failure(
    sandbox: SandboxServer,
) -> None:
    sandbox.fault("/customers", method="POST", attempts=[1], status=503)  # not applied
    async with sandbox.client(retry=FAST) as client:
        with pytest.raises(ConflictError) as conflict:
            await client.customers.create(name="Another", code="C0001")
    assert conflict.value.code == "duplicate_code"
    assert sandbox.changes == []


_GOOD: dict[str, Any] = {"name": "Valid Name"}
_BAD = st.one_of(
    st.fixed_dictionaries({"name": st.sampled_from(["", "  ", None, 5, b"x"])}),
    st.fixed_dictionaries({"gender": st.integers().filter(lambda n: n not in (1, 2))}),
    st.fixed_dictionaries({"gender": st.sampled_from([True, False, "1", 1.0])}),
    st.fixed_dictionaries({"date_of_birth": st.one_of(st.datetimes(), st.text(), st.integers())}),
    st.fixed_dictionaries({"email": st.text().filter(lambda s: "@" not in s)}),
    st.fixed_dictionaries({"cid": st.text().filter(lambda s: len(s) < 32) | st.integers()}),
    st.fixed_dictionaries({"group_id": st.sampled_from([0, -1, True, "2", 2.0])}),
    st.fixed_dictionaries({"phone": st.sampled_from(["", " ", 994, b"+994"])}),
)


async def test_bad_bodies_raise_client_value_error_and_send_nothing(
    sandbox: SandboxServer,
) -> None:
    async with sandbox.client() as client:

        @settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
        @given(_BAD)
        def check(bad: dict[str, Any]) -> None:
            # The checks run before the coroutine's first await: one step raises them.
            step = client.customers.create(**{**_GOOD, **bad})
            try:
                with pytest.raises(ClientValueError, match=next(iter(bad)) + "="):
                    step.send(None)
            finally:
                step.close()

        check()
    assert sandbox.log == []


def test_apply_is_a_plain_bool_and_not_with_a_reset() -> None:
    from clopos_async.testing._faults import Fault

    with pytest.raises(ClientValueError, match="apply=True is not allowed"):
        Fault(path="/customers", apply=True, reset="after")
    assert Fault(path="/customers", status=502, apply=True).apply is True

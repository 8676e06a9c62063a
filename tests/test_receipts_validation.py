"""Every bad argument raises ClientValueError at call time, naming itself, and sends nothing."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clopos_async import ClientValueError, CloposClient
from clopos_async.testing import SandboxServer

BAD_LIST_ARGS: dict[str, st.SearchStrategy[Any]] = {
    "date_from": st.one_of(
        st.sampled_from(["2025-13-01", "2025/08/01", "yesterday", "", "2025-02-30"]),
        st.integers(),
        st.booleans(),
    ),
    "date_to": st.sampled_from(["2025-00-10", "20250810", "2025-8-1x"]),
    "sort": st.text().filter(lambda s: s not in {"created_at", "id", "total", "closed_at"}),
    "order": st.one_of(st.sampled_from(["up", "ASCENDING", "", 0, 2, -2]), st.floats()),
    "limit": st.one_of(st.integers(max_value=0), st.integers(min_value=201), st.just(True)),
    "page": st.one_of(st.integers(max_value=0), st.floats(), st.text()),
    "max_items": st.one_of(st.integers(max_value=0), st.text(min_size=1)),
    "concurrency": st.one_of(st.integers(max_value=0), st.just(1.5)),
    "status": st.sampled_from([0, 3, -1, "open", 1.0]),
    "sale_type_id": st.one_of(st.integers(max_value=0), st.text(min_size=1)),
    "terminal_id": st.sampled_from([0, -4, "7", True]),
    "include": st.sampled_from(["products", ["receipt_products", "nope"], [1], ["with"]]),
    "filters": st.sampled_from([[("status",)], {"": 1}, [(1, 2)], {"status": {"a": 1}}, "status"]),
}


def client(sb: SandboxServer) -> CloposClient:
    return sb.client()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(data=st.data())
async def test_bad_list_arguments_raise_before_sending(
    sandbox: SandboxServer, data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(sorted(BAD_LIST_ARGS)))
    value = data.draw(BAD_LIST_ARGS[name])
    async with client(sandbox) as clopos:
        with pytest.raises(ClientValueError) as info:
            clopos.receipts.list(**{name: value})
    assert name in str(info.value)
    assert sandbox.log == []


async def test_reversed_date_range_is_rejected(sandbox: SandboxServer) -> None:
    async with client(sandbox) as clopos:
        with pytest.raises(ClientValueError, match="date_from"):
            clopos.receipts.list(date_from="2025-08-10", date_to="2025-08-01")
    assert sandbox.log == []


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(bad=st.one_of(st.integers(max_value=0), st.text(), st.none(), st.booleans(), st.floats()))
async def test_bad_ids_raise_before_sending(sandbox: SandboxServer, bad: object) -> None:
    async with client(sandbox) as clopos:
        with pytest.raises(ClientValueError, match="id"):
            await clopos.receipts.get(bad)  # type: ignore[arg-type]
        with pytest.raises(ClientValueError, match="ids"):
            clopos.receipts.get_many([1, bad])  # type: ignore[list-item]
    assert sandbox.log == []


async def test_good_arguments_in_every_accepted_form(sandbox: SandboxServer) -> None:
    async with client(sandbox) as clopos:
        page = await clopos.receipts.list(
            date_from="2025-08-01",
            date_to="2025-08-31",
            sort="total",
            order=1,
            status=2,
            filters={"sale_type_id": [1, 2, 3]},
            include="receipt_products",
            limit=5,
        )
    assert len(page.items) == 5
    totals = [r.total for r in page.items]
    assert None not in totals
    assert totals == sorted(t for t in totals if t is not None)

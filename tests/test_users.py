"""``client.users``: get, 404, ISO timestamps, the older shape (API §9.4, §10.14)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from clopos_async import ClientValueError, NotFoundError, User, converter
from clopos_async.testing import SandboxServer


async def test_get_one_with_iso_timestamps_and_a_missing_one(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        first = await client.users.get(1)
        with pytest.raises(NotFoundError) as missing:
            await client.users.get(999)
    assert first == converter.structure(sandbox.rows("users")[0], User)
    assert first.created_at == datetime(2025, 7, 1, 8, 0, tzinfo=timezone.utc)
    assert isinstance(first.updated_at, datetime)
    assert first.updated_at.tzinfo is not None
    assert (first.full_name, first.owner, first.status) == ("Aysel", 1, True)
    assert missing.value.status == 404
    assert [e.path for e in sandbox.requests("GET", "/users/*")] == ["/users/1", "/users/999"]


async def test_the_older_shape_decodes_and_round_trips(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        older = await client.users.get(5)
    assert (older.pin, older.hide, older.can_receive_tips) == ("0000", 0, True)
    assert older.login_at == "2025-07-30 18:00:00"  # API §15 item 17: format undocumented
    assert converter.unstructure(older) == sandbox.rows("users")[4]


async def test_bad_ids_send_nothing(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        for bad in (0, -1, True, "", " ", None, 1.5, 2**63):
            with pytest.raises(ClientValueError, match="id="):
                await client.users.get(bad)  # type: ignore[arg-type]
    assert sandbox.log == []


def test_status_keeps_what_was_sent_and_full_name_falls_back() -> None:
    for sent in (True, 1, 0):
        wire = {"id": 3, "status": sent, "username": "bob", "first_name": None}
        user = converter.structure(wire, User)
        assert user.status is sent or user.status == sent
        assert converter.unstructure(user) == wire
        assert user.full_name == "bob"

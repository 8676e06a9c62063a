"""``client.venues``: both documented shapes (API §9.3, §15 item 15)."""

from __future__ import annotations

from clopos_async import Venue, converter
from clopos_async.testing import SandboxServer


async def test_both_venue_shapes_decode_and_round_trip(sandbox: SandboxServer) -> None:
    async with sandbox.client() as client:
        venues = (await client.venues.list()).items
    prose, schema, closed = venues
    assert (prose.address, prose.status, prose.email) == ("Nizami st. 10", 1, "central@example.com")
    assert (schema.is_main, schema.media, schema.status) == (0, (), None)
    assert [v.active for v in venues] == [True, True, False]
    assert closed.extra == {}
    assert schema.extra == {}
    assert [converter.unstructure(v) for v in venues] == sandbox.rows("venues")


def test_unknown_venue_fields_are_kept() -> None:
    wire = {"id": 9, "name": "New", "timezone": "Asia/Baku", "media": [{"uuid": "u"}]}
    venue = converter.structure(wire, Venue)
    assert venue.extra == {"timezone": "Asia/Baku"}
    assert venue.media == ({"uuid": "u"},)
    assert converter.unstructure(venue) == wire

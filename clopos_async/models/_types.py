"""Annotations that say how a field travels when its Python type alone does not.

``datetime`` alone is the naive ``YYYY-MM-DD HH:mm:ss`` of receipts and products;
``IsoDatetime`` is the ISO 8601 ``…T…Z`` of orders, customers, customer groups, users,
categories and stations (API §11 "Timestamp formats"). ``EpochMillis`` is an int of
Unix milliseconds (stop list ``timestamp``, ``meta.terminal_updated_at``); it stays
an int on the wire and in the model. ``VenueMap`` is the ``status`` of sale types and
payment methods: venue ids as strings -> 1 enabled / 0 disabled (API §10.12).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, TypeAlias

import attrs


@attrs.frozen
class WireFormat:
    """A marker in ``Annotated[...]`` naming a wire format (read by ``clopos_async._wire``)."""

    name: str


ISO_8601 = WireFormat("iso8601")
EPOCH_MS = WireFormat("epoch_ms")

IsoDatetime: TypeAlias = Annotated[datetime, ISO_8601]
EpochMillis: TypeAlias = Annotated[int, EPOCH_MS]
VenueMap: TypeAlias = Mapping[str, int]

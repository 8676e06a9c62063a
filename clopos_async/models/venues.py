"""Venue-side models: stations (API §10.10)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from clopos_async.models._types import IsoDatetime


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class Station:
    """A kitchen or bar station (API §9.7, §10.10).

    Both documented shapes decode: the current one (integer ``id``, ``type`` 1 kitchen /
    0 other, ``printable`` 1/0) and the older one (string ``id`` such as ``"kitchen"``,
    ``can_print``, ``reminder_enabled``, ``description``; API §15 item 16).
    """

    id: int | str
    name: str | None = None
    status: int | None = None
    type: int | None = None
    printable: int | None = None
    can_print: bool | None = None
    reminder_enabled: bool | None = None
    description: str | None = None
    created_at: IsoDatetime | None = None
    updated_at: IsoDatetime | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)

"""Venue-side models: stations and venues (API §9.3, §10.10)."""

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

    Attributes:
        id: the station's id (an int; a str such as ``"kitchen"`` in the older shape).
        name: the station's name.
        status: 1 active, 0 inactive.
        type: 1 kitchen, 0 other.
        printable: 1 printable, 0 not.
        can_print: whether it can print (older shape).
        reminder_enabled: whether reminders are on (older shape).
        description: the description (older shape).
        created_at: when it was created (aware UTC).
        updated_at: when it was last updated (aware UTC).
        extra: wire keys this model does not declare, kept as decoded.
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


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class Venue:
    """A venue of the brand (API §9.3); its ``id`` is what ``x-venue`` carries.

    Both documented shapes decode (API §15 item 15): the prose page's ``address``,
    ``status`` (1 active / 0 inactive), ``phone``, ``email``, and the OpenAPI schema's
    ``is_main`` and ``media`` (kept as sent, API §10.18).

    Attributes:
        id: the venue's id (what ``x-venue`` carries).
        name: the venue's name.
        address: the address.
        status: 1 active, 0 inactive.
        phone: the phone.
        email: the email.
        is_main: whether it is the brand's main venue.
        media: the images, as sent.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int
    name: str | None = None
    address: str | None = None
    status: int | None = None
    phone: str | None = None
    email: str | None = None
    is_main: int | None = None
    media: tuple[Any, ...] | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)

    @property
    def active(self) -> bool:
        """``status == 1`` (API §9.3: clients filter on it); a venue without one counts."""
        return self.status is None or self.status == 1

"""Staff models: the users of ``GET /users`` (API §9.4, §10.14)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from clopos_async.models._types import IsoDatetime


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class User:
    """A staff account (API §10.14): waiters, cashiers, owners.

    The current v2 fields carry ISO 8601 ``…Z`` timestamps (API §11). The older
    fields (``pin`` ... ``image``, API §15 item 17) decode when sent; their formats are
    undocumented, so ``login_at``/``deleted_at`` stay strings and the rest as sent.
    ``status`` keeps the ``true``/``false`` or ``1``/``0`` that was sent.

    Attributes:
        id: the user's id.
        email: the email, or None.
        username: the username.
        first_name: the first name.
        last_name: the last name, or None.
        mobile_number: the mobile number, or None.
        owner: 1 if the user owns the brand.
        status: the ``status`` flag, as sent (true/false or 1/0).
        created_at: when the user was created (aware UTC).
        updated_at: when the user was last updated (aware UTC).
        pin: the PIN (older field).
        card: the card (older field), as sent.
        hide: the ``hide`` flag (older field).
        salary: the salary (older field), as sent.
        barcode: the barcode (older field).
        tip_message: the tip message (older field).
        can_receive_tips: whether the user can receive tips (older field).
        login_at: the last login (older field), as sent.
        bonus_balance_id: the bonus balance account's id (older field).
        deleted_at: when the user was deleted (older field), as sent.
        properties: the properties (older field), as sent.
        image: the image (older field), as sent.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int
    email: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    mobile_number: str | None = None
    owner: int | None = None
    status: bool | int | None = None
    created_at: IsoDatetime | None = None
    updated_at: IsoDatetime | None = None
    pin: str | None = None
    card: Any = None
    hide: int | None = None
    salary: Any = None
    barcode: Any = None
    tip_message: str | None = None
    can_receive_tips: bool | int | None = None
    login_at: str | None = None
    bonus_balance_id: int | None = None
    deleted_at: str | None = None
    properties: Any = None
    image: Any = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)

    @property
    def full_name(self) -> str:
        """``first_name last_name``, or the ``username`` when both are empty."""
        parts = [part for part in (self.first_name, self.last_name) if part]
        return " ".join(parts) if parts else (self.username or "")

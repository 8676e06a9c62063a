"""Customer models (API §10.6-10.8): the customer, its group and its balance accounts.

Attribute names are the wire names. Customers and customer groups carry ISO 8601
``…Z`` timestamps (API §11); ``date_of_birth`` is a ``YYYY-MM-DD`` date; money is
``Decimal``. Unknown keys are kept in ``extra`` and absent keys stay absent, so a
decode → encode round trip gives back the wire object.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from clopos_async.models._checks import money, money_converters
from clopos_async.models._types import IsoDatetime


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class CustomerGroup:
    """A customer group (API §10.7), listed by ``customer_groups.list()``.

    ``system_type`` names built-in groups (e.g. ``my_customers``); ``discount_value``
    is the group's discount, ``total_amount`` what its members spent.

    Attributes:
        id: the group's id.
        name: the group's name.
        discount_type: the group's discount type, or None.
        discount_value: the group's discount value.
        system_type: the built-in group's name (e.g. ``my_customers``), or None.
        total_amount: what the group's members spent.
        created_at: when it was created (aware UTC).
        updated_at: when it was last updated (aware UTC).
        deleted_at: when it was deleted, or None.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int | str
    name: str | None = None
    discount_type: str | int | None = None
    discount_value: Decimal | None = attrs.field(default=None, converter=money)
    system_type: str | None = None
    total_amount: Decimal | None = attrs.field(default=None, converter=money)
    created_at: IsoDatetime | None = None
    updated_at: IsoDatetime | None = None
    deleted_at: IsoDatetime | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class Balance:
    """A balance account (API §10.8): a customer's ``balance`` or ``cashback_balance``.

    The v2 view has ``id``, ``system_type``, ``name`` and ``type``; the full (v1) view
    adds ``venue_id``, ``description``, ``amount``, ``position``, timestamps and
    ``pivot``. The timestamps' format is undocumented, so they stay strings.

    Attributes:
        id: the balance account's id.
        system_type: the system type, e.g. ``CASH``, ``CARD``.
        name: the account's name.
        type: the account's type.
        venue_id: the venue (full view).
        description: the description (full view).
        amount: the balance amount (full view).
        position: the position (full view).
        created_at: when it was created (full view), as sent.
        updated_at: when it was last updated (full view), as sent.
        deleted_at: when it was deleted (full view), as sent.
        pivot: the ``pivot`` object (full view), as decoded.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int | None = None
    system_type: str | None = None
    name: str | None = None
    type: str | int | None = None
    venue_id: int | None = None
    description: str | None = None
    amount: Decimal | None = attrs.field(default=None, converter=money)
    position: int | None = None
    created_at: str | None = None
    updated_at: str | None = None
    deleted_at: str | None = None
    pivot: Mapping[str, Any] | None = attrs.field(default=None, hash=False)
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class Customer:
    """A customer of the brand (API §10.6).

    ``group`` is set only when fetched with ``include="group"``; ``balance`` and
    ``cashback_balance`` only when the server includes them. ``id`` is an int in
    the examples and a string in the OpenAPI schema (API §15 item 18): both decode.
    ``gender`` is 1 male, 2 female or None.

    Attributes:
        id: the customer's id (an int, or a str per the OpenAPI schema).
        cid: the customer's UUID.
        venue_id: the customer's venue.
        group_id: the customer's group.
        group: the group (only with ``include="group"``), or None.
        balance_id: the balance account's id.
        balance: the balance account, when the server includes it.
        cashback_balance_id: the cashback balance account's id, or None.
        cashback_balance: the cashback balance account, when the server includes it.
        bonus_balance_id: the bonus balance account's id, or None.
        name: the customer's name.
        email: the email, or None.
        phone: the phone, or None.
        phones: the phone numbers.
        address: the address, or None.
        addresses: the addresses.
        address_data: ``{type, source, formattedAddress}`` entries, as decoded, or None.
        description: the description, or None.
        discount: the customer's discount.
        spent: what the customer spent.
        total_discount: the customer's total discount.
        total_bonus: the customer's total bonus.
        receipt_count: the number of receipts.
        gender: 1 male, 2 female, or None.
        date_of_birth: the date of birth, or None.
        code: the customer's code, or None.
        source: the source, e.g. ``LOYALTY``, or None.
        reference_id: the reference id, or None.
        phone_verified_at: when the phone was verified, or None.
        status: the ``status`` flag.
        can_use_loyalty_system: whether the customer can use the loyalty system.
        is_verified: whether the customer is verified.
        created_at: when it was created (aware UTC).
        updated_at: when it was last updated (aware UTC).
        deleted_at: when it was deleted, or None.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int | str
    cid: str | None = None
    venue_id: int | None = None
    group_id: int | None = None
    group: CustomerGroup | None = None
    balance_id: int | None = None
    balance: Balance | None = None
    cashback_balance_id: int | None = None
    cashback_balance: Balance | None = None
    bonus_balance_id: int | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    phones: tuple[str, ...] | None = None
    address: str | None = None
    addresses: tuple[str, ...] | None = None
    address_data: tuple[Any, ...] | None = attrs.field(default=None, hash=False)
    description: str | None = None
    discount: Decimal | None = attrs.field(default=None, converter=money)
    spent: Decimal | None = attrs.field(default=None, converter=money)
    total_discount: Decimal | None = attrs.field(default=None, converter=money)
    total_bonus: Decimal | None = attrs.field(default=None, converter=money)
    receipt_count: int | None = None
    gender: int | None = None
    date_of_birth: date | None = None
    code: str | None = None
    source: str | None = None
    reference_id: str | None = None
    phone_verified_at: str | None = None
    status: bool | int | None = None
    can_use_loyalty_system: bool | int | None = None
    is_verified: bool | int | None = None
    created_at: IsoDatetime | None = None
    updated_at: IsoDatetime | None = None
    deleted_at: IsoDatetime | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)

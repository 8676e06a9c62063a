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

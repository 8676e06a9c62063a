"""Sales catalogue models: sale types and payment methods (API §9.10, §10.12, §10.13).

Both carry a venue map ``status`` (venue id as a string -> 1 enabled / 0 disabled).
API §11 names no timestamp format for either, so ``created_at``/``updated_at`` stay the
strings that were sent (a guessed parse could break the lossless round trip).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from clopos_async._errors import ClientValueError
from clopos_async.models._checks import money, money_converters
from clopos_async.models._types import VenueMap
from clopos_async.models.receipts import PaymentMethod


def _enabled(status: VenueMap | None, venue_id: int | str) -> bool:
    """Whether a venue map says 1 for ``venue_id`` (its keys are strings, API §10.12)."""
    return bool(status) and (status or {}).get(str(venue_id)) == 1


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False, field_transformer=money_converters)
class SaleType:
    """A sale type: dine-in, delivery, takeaway... (API §10.12; ``sale_type_id`` elsewhere).

    ``system_type`` is one of ``IN``, ``DELIVERY``, ``TAKEAWAY`` (API §11); an unknown
    value is kept as sent. ``payment_method_id``, ``payment_method`` and ``deleted_at``
    are v1 extras.

    Attributes:
        id: the sale type's id.
        name: the sale type's name.
        system_type: ``IN``, ``DELIVERY`` or ``TAKEAWAY``; an unknown value is kept.
        channel: the channel.
        status: the venue map: venue id (str) -> 1 enabled / 0 disabled.
        service_charge_rate: the service charge rate, or None.
        position: the position.
        media: the images, as sent.
        created_at: when it was created, as sent.
        updated_at: when it was last updated, as sent.
        payment_method_id: the payment method's id (v1).
        payment_method: the payment method (v1), as decoded.
        deleted_at: when it was deleted (v1), as sent.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int
    name: str | None = None
    system_type: str | None = None
    channel: str | None = None
    status: VenueMap | None = None
    service_charge_rate: Decimal | None = attrs.field(default=None, converter=money)
    position: int | None = None
    media: tuple[Any, ...] | None = None
    created_at: str | None = None
    updated_at: str | None = None
    payment_method_id: int | None = None
    payment_method: Any = None
    deleted_at: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)

    def enabled_at(self, venue_id: int | str) -> bool:
        """Whether this sale type is enabled at the venue ``venue_id`` (its ``status`` map).

        Args:
            venue_id: the venue's id (an int, or the string key of the map).

        Returns:
            True when ``status`` maps the venue to 1; False otherwise, or without a map.
        """
        return _enabled(self.status, venue_id)


@attrs.frozen(kw_only=True, slots=True, weakref_slot=False)
class PaymentMethodInfo:
    """A payment method of the catalogue (``GET /payment-methods``, API §10.13).

    Its ``id`` and ``name`` are what a receipt's payments and a close carry:
    ``method.pay(8140)`` is the :class:`PaymentMethod` for ``receipts.close``.
    ``balance`` (API §10.8) and ``service`` (an external integration) are kept as
    sent; ``balance_id`` and ``deleted_at`` are v1 extras.

    Attributes:
        id: the payment method's id.
        name: the payment method's name.
        status: the venue map: venue id (str) -> 1 enabled / 0 disabled.
        split: 1 if it may be used in split payments.
        position: the position.
        customer_required: 1 if a customer must be attached.
        is_system: the ``is_system`` flag.
        balance: the balance account (API §10.8), as sent, or None.
        service: the external integration (e.g. loyalty), as sent, or None.
        created_at: when it was created, as sent.
        updated_at: when it was last updated, as sent.
        balance_id: the balance account's id (v1).
        deleted_at: when it was deleted (v1), as sent.
        extra: wire keys this model does not declare, kept as decoded.
    """

    id: int
    name: str | None = None
    status: VenueMap | None = None
    split: int | None = None
    position: int | None = None
    customer_required: int | None = None
    is_system: int | None = None
    balance: Mapping[str, Any] | None = None
    service: Any = None
    created_at: str | None = None
    updated_at: str | None = None
    balance_id: int | None = None
    deleted_at: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    _absent: frozenset[str] = attrs.field(factory=frozenset, init=False, repr=False)

    def pay(self, amount: int | str | Decimal | float) -> PaymentMethod:
        """A payment of ``amount`` with this method, as ``receipts.close`` takes it.

        Args:
            amount: in the receipt's own scale (API §11 "Money"); kept exact as a Decimal.

        Returns:
            ``PaymentMethod(id=self.id, name=self.name, amount=amount)``.

        Raises:
            ClientValueError: the amount is not a finite number, or this method has no name.
        """
        if self.name is None:
            raise ClientValueError(
                f"PaymentMethodInfo(id={self.id}).name=None is not allowed: "
                "a close needs the method's name (API §9.12)"
            )
        return PaymentMethod(id=self.id, name=self.name, amount=amount)

    def enabled_at(self, venue_id: int | str) -> bool:
        """Whether this method is enabled at the venue ``venue_id`` (its ``status`` map).

        Args:
            venue_id: the venue's id (an int, or the string key of the map).

        Returns:
            True when ``status`` maps the venue to 1; False otherwise, or without a map.
        """
        return _enabled(self.status, venue_id)

    @property
    def needs_customer(self) -> bool:
        """``customer_required == 1``: a receipt paid with it must have a customer."""
        return self.customer_required == 1

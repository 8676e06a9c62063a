"""The four plain catalogues (venues, users, sale types, payment methods), as test cases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from clopos_async import CloposClient, Pager, PaymentMethodInfo, SaleType, User, Venue
from clopos_async._api import Endpoint
from clopos_async._api import _endpoints as api


@attrs.frozen
class Case:
    """One catalogue: its sandbox name, path, model, facts and how a client lists it."""

    resource: str
    path: str
    model: type
    endpoint: Endpoint
    lister: Callable[[CloposClient], Callable[..., Pager[Any]]]

    def __str__(self) -> str:
        return self.resource


CASES = [
    Case("venues", "/venues", Venue, api.VENUES, lambda c: c.venues.list),
    Case("users", "/users", User, api.USERS, lambda c: c.users.list),
    Case("sale_types", "/sale-types", SaleType, api.SALE_TYPES, lambda c: c.sale_types.list),
    Case(
        "payment_methods",
        "/payment-methods",
        PaymentMethodInfo,
        api.PAYMENT_METHODS,
        lambda c: c.payment_methods.list,
    ),
]

"""The customers resource: list, get and the exactly-once create (API §9.5, §10.6).

Reads follow the stations example; ``create`` is checked here and run to exactly
one state change by ``_customer_create.py``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from clopos_async._api import Endpoint
from clopos_async._api._endpoints import CUSTOMER, CUSTOMERS
from clopos_async._errors import ClientValueError
from clopos_async._pagination import Pager
from clopos_async._protocol import FilterValue, encode_include, encode_list_query
from clopos_async._validation import check_optional_id, shown
from clopos_async.models import Customer
from clopos_async.resources._base import Resource, check_path_id, item_id
from clopos_async.resources._customer_create import CustomerCreator, CustomerDraft
from clopos_async.resources._seam import Seam


class Customers(Resource):
    """``client.customers``: the brand's customers (loyalty, delivery addresses)."""

    def __init__(self, seam: Seam) -> None:
        """Mounted by the client (``client.customers``); never built by hand."""
        super().__init__(seam)
        self._creator = CustomerCreator(seam)

    def list(
        self,
        *,
        name: str | None = None,
        phone: str | None = None,
        group_id: int | None = None,
        include: str | Iterable[str] = (),
        page: int = 1,
        limit: int = 50,
        max_items: int | None = None,
        concurrency: int = 1,
    ) -> Pager[Customer]:
        """A lazy pager over ``GET /customers``.

        Args:
            name: a part of the customer's name (the ``name`` filter, partial match).
            phone: one of the customer's phone numbers (the ``phones`` filter).
            group_id: only customers of this group.
            include: ``"group"`` (and the SDK-era ``balance``, ``cashback_balance``).
            page: The first page to read (>= 1).
            limit: Page size (1-999).
            max_items: Stop after this many items; None for all.
            concurrency: Pages fetched at once while iterating.

        Returns:
            A pager: ``await`` it for one page, ``async for`` it for every customer.

        Raises:
            ClientValueError: a bad argument; nothing is sent.
        """
        filters: list[tuple[str, FilterValue]] = [
            (field, value)
            for field, value in (
                ("name", _text("name", name)),
                ("phones", _text("phone", phone)),  # API §9.5: searches every phone
                ("group_id", check_optional_id("group_id", group_id)),
            )
            if value is not None
        ]
        relations = check_relations(CUSTOMERS, include)
        return self._pager(
            CUSTOMERS,
            Customer,
            lambda number, size: encode_list_query(
                page=number, limit=size, include=relations, filters=filters
            ),
            page=page,
            limit=limit,
            max_items=max_items,
            concurrency=concurrency,
            key=item_id,
        )

    async def get(self, id: int | str, *, include: str | Iterable[str] = ()) -> Customer:
        """One customer by id (``GET /customers/{id}``).

        Args:
            id: the customer's id (an integer, or the string the API uses).
            include: relations to embed, e.g. ``"group"``.

        Returns:
            The ``Customer``.

        Raises:
            ClientValueError: a bad id or include; nothing is sent.
            NotFoundError: no such customer.
            APIError: another error answer (a typed subclass per status).
            TransportError: no usable response arrived (connection, timeout).
            DecodeError: the answer was not the documented shape.
        """
        path_id = check_path_id("id", id)
        params = encode_include(check_relations(CUSTOMER, include))
        return await self._get(CUSTOMER, Customer, path_id, params)

    async def create(
        self,
        *,
        name: str,
        phone: str | None = None,
        email: str | None = None,
        code: str | None = None,
        cid: str | uuid.UUID | None = None,
        description: str | None = None,
        group_id: int | None = None,
        gender: int | None = None,
        date_of_birth: date | None = None,
    ) -> Customer:
        """Create a customer exactly once, reconciling by ``cid`` (DESIGN §2).

        Args:
            name: non-empty.
            phone: unique across customers (API §9.5).
            email: an address like ``name@example.com``.
            code: a customer code, unique across customers.
            cid: the customer's UUID; a fresh uuid4 when None. Pass your own to make a
                redelivered call (a queue's second delivery) return the same customer.
            description: free text.
            group_id: a customer group id.
            gender: 1 male, 2 female, None unspecified.
            date_of_birth: a ``datetime.date``.

        Returns:
            The created customer (or the one an earlier attempt with this cid created).

        Raises:
            ClientValueError: a bad argument; nothing is sent.
            ConflictError: the phone or code belongs to another customer.
            APIError: another error answer, e.g. a ``ServerError`` on every attempt.
            TransportError: every attempt failed without a usable response (an
                ``APITimeoutError`` included).
            DecodeError: the answer was not the documented shape.
        """
        draft = CustomerDraft.build(
            name=name,
            cid=cid,
            phone=phone,
            email=email,
            code=code,
            description=description,
            group_id=group_id,
            gender=gender,
            date_of_birth=date_of_birth,
        )
        return await self._creator.create(draft)


def _text(name: str, value: object) -> str | None:
    if value is None or (isinstance(value, str) and value.strip()):
        return value
    raise ClientValueError(f"{name}={shown(value)} is not allowed: None or a non-empty string")


def check_relations(endpoint: Endpoint, value: object) -> tuple[str, ...]:
    """``include``: a relation name or an iterable of them, among the endpoint's facts.

    Raises:
        ClientValueError: naming the bad item and the allowed relations.
    """
    if value is None:
        return ()
    items = (value,) if isinstance(value, str) else value
    if isinstance(items, (bytes, bytearray, dict)) or not isinstance(items, Iterable):
        raise ClientValueError(
            f"include={shown(value)} is not allowed: a relation name or an iterable of them"
        )
    allowed = ", ".join(repr(r) for r in endpoint.includes)
    checked = []
    for index, item in enumerate(items):
        if not (isinstance(item, str) and item in endpoint.includes):
            label = "include" if isinstance(value, str) else f"include[{index}]"
            raise ClientValueError(f"{label}={shown(item)} is not allowed: one of {allowed}")
        checked.append(item)
    return tuple(dict.fromkeys(checked))

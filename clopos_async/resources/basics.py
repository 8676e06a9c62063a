"""The brand's small catalogues: venues, users, sale types, payment methods.

API §9.3, §9.4, §9.10: plain lists (``page``/``limit`` only, as the SDKs send them)
and ``users.get``. Each is a few declarative lines on ``Resource``.
"""

from __future__ import annotations

from typing import TypeVar

from clopos_async._api import Endpoint
from clopos_async._api._endpoints import PAYMENT_METHODS, SALE_TYPES, USER, USERS, VENUES
from clopos_async._pagination import Pager
from clopos_async.models import PaymentMethodInfo, SaleType, User, Venue
from clopos_async.resources._base import Resource, check_path_id, item_id, page_query

M = TypeVar("M")


class _PlainList(Resource):
    """A resource whose list takes nothing beyond paging."""

    def _plain(
        self,
        endpoint: Endpoint,
        model: type[M],
        *,
        page: int,
        limit: int,
        max_items: int | None,
        concurrency: int,
    ) -> Pager[M]:
        return self._pager(
            endpoint,
            model,
            page_query,
            page=page,
            limit=limit,
            max_items=max_items,
            concurrency=concurrency,
            key=item_id,
        )


class Venues(_PlainList):
    """``client.venues``: every venue the credentials may access (API §9.3)."""

    def list(
        self, *, page: int = 1, limit: int = 50, max_items: int | None = None, concurrency: int = 1
    ) -> Pager[Venue]:
        """A lazy pager over ``GET /venues``.

        Args:
            page: the first page to read (1-based).
            limit: page size, 1-200.
            max_items: stop after this many items (None: all).
            concurrency: pages in flight at once.

        Returns:
            A pager of :class:`Venue` (both documented shapes, API §15 item 15).

        Raises:
            ClientValueError: a bad argument; nothing is sent.
        """
        return self._plain(
            VENUES, Venue, page=page, limit=limit, max_items=max_items, concurrency=concurrency
        )


class Users(_PlainList):
    """``client.users``: the brand's staff accounts (API §9.4)."""

    def list(
        self, *, page: int = 1, limit: int = 50, max_items: int | None = None, concurrency: int = 1
    ) -> Pager[User]:
        """A lazy pager over ``GET /users``.

        Args:
            page: the first page to read (1-based).
            limit: page size, 1-200.
            max_items: stop after this many items (None: all).
            concurrency: pages in flight at once.

        Returns:
            A pager of :class:`User`.

        Raises:
            ClientValueError: a bad argument; nothing is sent.
        """
        return self._plain(
            USERS, User, page=page, limit=limit, max_items=max_items, concurrency=concurrency
        )

    async def get(self, id: int) -> User:
        """One user by id (``GET /users/{id}``).

        Args:
            id: the user's id, an integer >= 1.

        Returns:
            The ``User``.

        Raises:
            ClientValueError: a bad id; nothing is sent.
            NotFoundError: no such user.
            APIError: another error answer (a typed subclass per status).
            TransportError: no usable response arrived (connection, timeout).
            DecodeError: the answer was not the documented shape.
        """
        return await self._get(USER, User, check_path_id("id", id))


class SaleTypes(_PlainList):
    """``client.sale_types``: dine-in, delivery, takeaway... (API §9.10, §10.12)."""

    def list(
        self, *, page: int = 1, limit: int = 50, max_items: int | None = None, concurrency: int = 1
    ) -> Pager[SaleType]:
        """A lazy pager over ``GET /sale-types``.

        Args:
            page: the first page to read (1-based).
            limit: page size, 1-200.
            max_items: stop after this many items (None: all).
            concurrency: pages in flight at once.

        Returns:
            A pager of :class:`SaleType`.

        Raises:
            ClientValueError: a bad argument; nothing is sent.
        """
        return self._plain(
            SALE_TYPES, SaleType, page=page, limit=limit, max_items=max_items,
            concurrency=concurrency,
        )  # fmt: skip


class PaymentMethods(_PlainList):
    """``client.payment_methods``: the catalogue receipts are paid from (API §9.10, §10.13)."""

    def list(
        self, *, page: int = 1, limit: int = 50, max_items: int | None = None, concurrency: int = 1
    ) -> Pager[PaymentMethodInfo]:
        """A lazy pager over ``GET /payment-methods``.

        Args:
            page: the first page to read (1-based).
            limit: page size, 1-200.
            max_items: stop after this many items (None: all).
            concurrency: pages in flight at once.

        Returns:
            A pager of :class:`PaymentMethodInfo` (``.pay(amount)`` makes a close's payment).

        Raises:
            ClientValueError: a bad argument; nothing is sent.
        """
        return self._plain(
            PAYMENT_METHODS, PaymentMethodInfo, page=page, limit=limit, max_items=max_items,
            concurrency=concurrency,
        )  # fmt: skip

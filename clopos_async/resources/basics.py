"""The brand's small catalogues: venues, users, sale types, payment methods.

API §9.3, §9.4, §9.10: plain lists (``page``/``limit`` only, as the SDKs send them)
and ``users.get``. Each is a few declarative lines on ``Resource``.
"""

from __future__ import annotations

from clopos_async._api._endpoints import PAYMENT_METHODS, SALE_TYPES, USER, USERS, VENUES
from clopos_async._pagination import Pager
from clopos_async.models import PaymentMethodInfo, SaleType, User, Venue
from clopos_async.resources._base import PlainList, check_path_id


class Venues(PlainList[Venue]):
    """``client.venues``: every venue the credentials may access (API §9.3)."""

    _endpoint = VENUES
    _model = Venue

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
        return self._plain_list(page, limit, max_items, concurrency)


class Users(PlainList[User]):
    """``client.users``: the brand's staff accounts (API §9.4)."""

    _endpoint = USERS
    _model = User

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
        return self._plain_list(page, limit, max_items, concurrency)

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


class SaleTypes(PlainList[SaleType]):
    """``client.sale_types``: dine-in, delivery, takeaway... (API §9.10, §10.12)."""

    _endpoint = SALE_TYPES
    _model = SaleType

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
        return self._plain_list(page, limit, max_items, concurrency)


class PaymentMethods(PlainList[PaymentMethodInfo]):
    """``client.payment_methods``: the catalogue receipts are paid from (API §9.10, §10.13)."""

    _endpoint = PAYMENT_METHODS
    _model = PaymentMethodInfo

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
        return self._plain_list(page, limit, max_items, concurrency)

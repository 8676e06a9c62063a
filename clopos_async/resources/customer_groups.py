"""The customer groups resource: list (API §9.5, §10.7)."""

from __future__ import annotations

from clopos_async._api._endpoints import CUSTOMER_GROUPS
from clopos_async._pagination import Pager
from clopos_async.models import CustomerGroup
from clopos_async.resources._base import PlainList


class CustomerGroups(PlainList[CustomerGroup]):
    """``client.customer_groups``: the groups customers belong to (discounts, loyalty)."""

    _endpoint = CUSTOMER_GROUPS
    _model = CustomerGroup

    def list(
        self,
        *,
        page: int = 1,
        limit: int = 50,
        max_items: int | None = None,
        concurrency: int = 1,
    ) -> Pager[CustomerGroup]:
        """A lazy pager over ``GET /customer-groups``.

        Args:
            page: The first page to read (>= 1).
            limit: Page size (1-200).
            max_items: Stop after this many items; None for all.
            concurrency: Pages fetched at once while iterating.

        Returns:
            A pager: ``await`` it for one page, ``async for`` it for every group.

        Raises:
            ClientValueError: a bad argument; nothing is sent.
        """
        return self._plain_list(page, limit, max_items, concurrency)

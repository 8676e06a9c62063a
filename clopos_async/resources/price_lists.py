"""The price lists resource: the lists and the prices in them (API §9.9, §10.17).

Price lists sort with their own nested syntax ``sort[0][0]=name&sort[0][1]=asc``
(API §15 item 13), not the global ``sort[0]``/``sort[1]``; both lists answer with the
``pagination`` envelope (API §15 item 8), which the pager reads.
"""

from __future__ import annotations

from collections.abc import Iterable

from clopos_async._api._endpoints import PRICE_LISTS, PRICES
from clopos_async._pagination import Pager
from clopos_async._validation import check_optional_id
from clopos_async.models import Price, PriceList
from clopos_async.resources._base import Resource, item_id
from clopos_async.resources._facts_query import (
    check_fact_filters,
    check_relations,
    facts_list_query,
    nested_sort,
    selects_params,
)


class PriceLists(Resource):
    """``client.price_lists``: alternative price lists and their product prices."""

    def list(
        self,
        *,
        include: str | Iterable[str] = (),
        sort: str | None = None,
        order: str | int = "asc",
        selects: str | Iterable[str] | None = None,
        page: int = 1,
        limit: int = 50,
        max_items: int | None = None,
        concurrency: int = 1,
    ) -> Pager[PriceList]:
        """A lazy pager over ``GET /price-lists``.

        Args:
            include: ``"prices"`` to embed each list's prices.
            sort: ``id``, ``name`` or ``created_at``; None for the server's order.
            order: ``"asc"``/``"desc"`` (or 1/-1), sent only with a ``sort``.
            selects: field names to return.
            page: the first page to fetch (from 1).
            limit: the page size (1-999).
            max_items: stop after this many items; None for all.
            concurrency: pages fetched ahead at once (1-64).

        Returns:
            A pager of ``PriceList``.

        Raises:
            ClientValueError: a bad argument; nothing is sent.
        """
        relations = check_relations(PRICE_LISTS, include)
        tail = nested_sort(PRICE_LISTS, sort, order)
        query = facts_list_query(relations, tail=[*tail, *selects_params(selects)])
        return self._pager(
            PRICE_LISTS, PriceList, query, page=page, limit=limit, max_items=max_items,
            concurrency=concurrency, key=item_id,
        )  # fmt: skip

    def prices(
        self,
        *,
        product_id: int | None = None,
        list_id: int | None = None,
        include: str | Iterable[str] = (),
        page: int = 1,
        limit: int = 50,
        max_items: int | None = None,
        concurrency: int = 1,
    ) -> Pager[Price]:
        """A lazy pager over ``GET /price-lists/prices``, across every price list.

        Args:
            product_id: only this product's prices.
            list_id: only this price list's prices.
            include: ``product`` and/or ``list``.
            page: the first page to fetch (from 1).
            limit: the page size (1-999).
            max_items: stop after this many items; None for all.
            concurrency: pages fetched ahead at once (1-64).

        Returns:
            A pager of ``Price``.

        Raises:
            ClientValueError: a bad argument; nothing is sent.
        """
        shortcuts = {
            "product_id": check_optional_id("product_id", product_id),
            "list_id": check_optional_id("list_id", list_id),
        }
        filters = tuple(check_fact_filters(PRICES, None, shortcuts))
        relations = check_relations(PRICES, include)
        query = facts_list_query(relations, filters)
        return self._pager(
            PRICES, Price, query, page=page, limit=limit, max_items=max_items,
            concurrency=concurrency, key=item_id,
        )  # fmt: skip

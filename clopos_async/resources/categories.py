"""The categories resource: list and get the menu's category tree (API §9.6, §10.9)."""

from __future__ import annotations

from enum import Enum

from clopos_async._api._endpoints import CATEGORIES, CATEGORY
from clopos_async._pagination import Pager
from clopos_async.models import Category, CategoryType
from clopos_async.resources._base import Resource, check_path_id, item_id, page_query, plain_params


class Categories(Resource):
    """``client.categories``: product, ingredient and accounting categories, as trees."""

    def list(
        self,
        *,
        parent_id: int | None = None,
        type: CategoryType | str | None = None,
        include_children: bool = True,
        include_inactive: bool = False,
        page: int = 1,
        limit: int = 50,
        max_items: int | None = None,
        concurrency: int = 1,
    ) -> Pager[Category]:
        """A lazy pager over ``GET /categories``.

        Args:
            parent_id: only the categories under this parent.
            type: ``CategoryType`` or its name (PRODUCT, INGREDIENT, ACCOUNTING).
            include_children: False for the top level only (API default True).
            include_inactive: also inactive categories (API default False).
            page: the first page to fetch (from 1).
            limit: the page size (1-999).
            max_items: stop after this many items; None for all.
            concurrency: pages fetched ahead at once (1-64).

        Returns:
            A pager of ``Category``; ``Category.walk()`` yields each one's subtree.

        Raises:
            ClientValueError: a bad argument; nothing is sent.
        """
        params = plain_params(
            CATEGORIES,
            {
                "parent_id": parent_id,
                "type": type.value if isinstance(type, Enum) else type,
                "include_children": include_children,
                "include_inactive": include_inactive,
            },
        )
        return self._pager(
            CATEGORIES,
            Category,
            lambda number, size: [*page_query(number, size), *params],
            page=page,
            limit=limit,
            max_items=max_items,
            concurrency=concurrency,
            key=item_id,
        )

    async def get(self, id: int | str, *, include_children: bool = True) -> Category:
        """One category by id, with its subtree unless ``include_children=False``.

        Args:
            id: the category's id.
            include_children: whether ``children`` holds the subtree.

        Returns:
            The ``Category`` (``walk()`` visits its subtree).

        Raises:
            ClientValueError: a bad argument; nothing is sent.
            NotFoundError: no such category (``resource_not_found``).
            APIError: another error answer (a typed subclass per status).
            TransportError: no usable response arrived (connection, timeout).
            DecodeError: the answer was not the documented shape.
        """
        path_id = check_path_id("id", id)
        params = plain_params(CATEGORY, {"include_children": include_children})
        return await self._get(CATEGORY, Category, path_id, params)

"""The products resource: list, get and the stop list (API §9.8, §10.11, §10.15).

Every argument is checked against the facts of ``PRODUCTS``/``PRODUCT``/``STOP_LIST``
(page size ≤ 100, relations, filter fields and product types) before anything is sent.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping, Sequence

from clopos_async._api._endpoints import PRODUCT, PRODUCTS, STOP_LIST
from clopos_async._errors import ClientValueError, DecodeError
from clopos_async._pagination import Pager
from clopos_async._protocol import FilterValue, encode_include, encode_list_query
from clopos_async._validation import check_ids
from clopos_async._wire import decode_list
from clopos_async.models import Product, ProductType, StopListEntry
from clopos_async.resources._base import Resource, check_path_id, data_of, item_id
from clopos_async.resources._facts_query import check_fact_filters, check_relations, check_selects

#: One value or several of a product filter (sent as ``filters[N][1][M]``, API §8).
Several = str | int | ProductType | Iterable[str | int | ProductType]


class Products(Resource):
    """``client.products``: the menu's goods, dishes, preparations and ingredients."""

    def list(
        self,
        *,
        type: Several | None = None,
        category_id: int | Iterable[int] | None = None,
        station_id: int | Iterable[int] | None = None,
        tags: str | Iterable[str] | None = None,
        filters: Mapping[str, FilterValue] | Sequence[tuple[str, FilterValue]] | None = None,
        include: str | Iterable[str] = (),
        selects: str | Iterable[str] | None = None,
        page: int = 1,
        limit: int = 50,
        max_items: int | None = None,
        concurrency: int = 1,
    ) -> Pager[Product]:
        """A lazy pager over ``GET /products``.

        Args:
            type: a product type (``ProductType`` or its name) or several.
            category_id: one category id or several.
            station_id: one station id or several.
            tags: one tag or several.
            filters: other documented filters (``giftable``, ``inventory_behavior``...)
                as a mapping or ``(field, value)`` pairs; booleans travel as true/false.
            include: relations (``category``, ``station``, ``modifications``...).
            selects: field names to return (``id``, ``name``, ``type`` always come).
            page: the first page to fetch (from 1).
            limit: the page size (1-100).
            max_items: stop after this many items; None for all.
            concurrency: pages fetched ahead at once (1-64).

        Returns:
            A pager of ``Product``.

        Raises:
            ClientValueError: a bad argument; nothing is sent.
        """
        shortcuts = {"type": type, "category_id": category_id, "station_id": station_id,
                     "tags": tags}  # fmt: skip
        checked = tuple(check_fact_filters(PRODUCTS, filters, shortcuts))
        relations = check_relations(PRODUCTS, include)
        fields = check_selects(selects)
        tail = [] if fields is None else [("selects", fields)]

        def query(number: int, size: int) -> list[tuple[str, str]]:
            pairs = encode_list_query(page=number, limit=size, include=relations, filters=checked)
            return [*pairs, *tail]

        return self._pager(
            PRODUCTS, Product, query, page=page, limit=limit, max_items=max_items,
            concurrency=concurrency, key=item_id,
        )  # fmt: skip

    async def get(self, id: int | str, *, include: str | Iterable[str] = ()) -> Product:
        """One product by id (an integer or a UUID, API §9.8).

        Args:
            id: the product's id, an integer or a UUID string.
            include: relations to embed (``with[]``), e.g. ``"category"``.

        Returns:
            The ``Product``.

        Raises:
            ClientValueError: a bad id or relation; nothing is sent.
            NotFoundError: no such product (``resource_not_found``).
            APIError: another error answer (a typed subclass per status).
            TransportError: no usable response arrived (connection, timeout).
            DecodeError: the answer was not the documented shape.
        """
        path_id = check_path_id("id", id)
        params = encode_include(check_relations(PRODUCT, include))
        return await self._get(PRODUCT, Product, path_id, params)

    async def stop_list(self, ids: Iterable[int] | None = None) -> builtins.list[StopListEntry]:
        """The stock limits (``GET /products/stop-list``), optionally for some products.

        A product absent from the answer has no limitation; ``limit`` 0 means sold out
        (see ``StopListEntry.is_available``).

        Args:
            ids: product ids to ask about (``filters[0][0]=id&filters[0][1][M]=…``);
                None for every limited product.

        Returns:
            A list of ``StopListEntry``, one per limited product.

        Raises:
            ClientValueError: a bad id or an empty ``ids``; nothing is sent.
            APIError: another error answer (a typed subclass per status).
            TransportError: no usable response arrived (connection, timeout).
            DecodeError: the answer was not the documented shape.
        """
        params: list[tuple[str, str]] = []
        if ids is not None:
            wanted = check_ids("ids", ids)
            filters = check_fact_filters(STOP_LIST, None, {"id": wanted or None})
            if not filters:
                raise ClientValueError("ids=[] is not allowed: None or at least one id is required")
            params = encode_list_query(page=1, limit=1, filters=filters)[2:]
        envelope = await self._seam.send("GET", STOP_LIST.path, params=params)
        return decode_list(StopListEntry, _array(data_of(envelope)))


def _array(data: object) -> builtins.list[object]:
    if not isinstance(data, list):
        raise DecodeError(f"expected an array, got {type(data).__name__}", path="data")
    return data

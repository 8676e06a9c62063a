"""The sandbox's menu catalogue routes: categories, products, stop list, price lists, prices.

One job: serve the seeded rows of ``_menu_data`` as the API does (API §9.6, §9.8, §9.9):
the query checked against the endpoint facts (``_facts_query``), relations present only
when included, categories nested into trees, each list in its own envelope (price lists
and prices answer with ``pagination``, the stop list with bare ``data``), 404 slugs.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Mapping
from typing import Any

import orjson

from clopos_async._api import Endpoint, Envelope
from clopos_async._api import _endpoints as api
from clopos_async.testing._catalog import station_rows
from clopos_async.testing._collections import Collection, Handler, pagination_reply
from clopos_async.testing._facts_query import FactsQuery, parse_facts_query
from clopos_async.testing._menu_data import (
    category_rows,
    price_list_rows,
    price_rows,
    product_rows,
    stop_list_rows,
)
from clopos_async.testing._wire import Call, Reply, compact_json, list_reply
from clopos_async.testing._wire import object_reply as _object_reply

Row = dict[str, Any]
Routes = builtins.list[tuple[re.Pattern[str], dict[str, Handler]]]

#: Product relations that are served only when asked for (API §9.8 ``with[]``).
_PRODUCT_RELATIONS = frozenset(api.PRODUCTS.includes + api.PRODUCT.includes) - {
    "modifications.codes"
}
_ALWAYS_SELECTED = ("id", "name", "type")  # API §9.8: selects always returns these


class MenuCollection(Collection):
    """A catalogue collection: rows by id, served through ``shape`` (filters, includes)."""

    def __init__(
        self, listing: Endpoint, single: Endpoint | None, rows: builtins.list[Row], noun: str
    ) -> None:
        super().__init__(listing, single, rows, noun=noun)

    def list(self, call: Call, raw_id: str | None) -> Reply:
        """``GET`` the list: checked, filtered, sorted, one page, in the endpoint's envelope."""
        query = parse_facts_query(self.listing, call.query)
        found = self.select(query)
        size, number = query.listing.limit, query.listing.page
        start = (number - 1) * size
        rows = [compact_json(self.shape(row, query)) for row in found[start : start + size]]
        if self.listing.envelope is Envelope.PAGINATION:
            return pagination_reply(call, rows, page=number, limit=size, total=len(found))
        return list_reply(call, rows, total=len(found), sorts=orjson.dumps(self.listing.sorts))

    def get(self, call: Call, raw_id: str | None) -> Reply:
        """``GET`` one row, shaped by the get's own query, or 404 with its slug."""
        assert self.single is not None
        query = parse_facts_query(self.single, call.query, paged=False)
        super().get(call, raw_id)  # the 404 (API §15 item 7), or the row exists
        row = next(r for r in self.rows() if str(r["id"]) == raw_id)
        return _object_reply(call, compact_json(self.shape(row, query)))

    def select(self, query: FactsQuery) -> builtins.list[Row]:
        """The rows matching the query's filters, in the list's order."""
        return [row for row in self.rows() if _matches(row, query.filters)]

    def shape(self, row: Row, query: FactsQuery) -> Row:
        """The row as served for this query (default: as stored)."""
        return row


def _matches(row: Row, filters: Mapping[str, tuple[object, ...]]) -> bool:
    for field, wanted in filters.items():
        have = row.get(field)
        if isinstance(have, list):  # tags: any of the wanted ones
            if not set(wanted) & set(have):
                return False
        elif isinstance(wanted[0], bool):
            if bool(have) is not wanted[0]:
                return False
        elif have not in wanted:
            return False
    return True


class Products(MenuCollection):
    """``GET /products`` and ``/products/{id}``: relations embedded only when included."""

    def __init__(self) -> None:
        super().__init__(api.PRODUCTS, api.PRODUCT, product_rows(), "Product")
        self._categories = {row["id"]: row for row in category_rows()}
        self._stations = {row["id"]: row for row in station_rows()}

    def shape(self, row: Row, query: FactsQuery) -> Row:
        served = {k: v for k, v in row.items() if k not in _PRODUCT_RELATIONS}
        for relation in query.includes & _PRODUCT_RELATIONS:
            if relation in row:
                served[relation] = row[relation]
        if "modifications" in served and "modifications.codes" not in query.includes:
            served["modifications"] = [_without(v, "codes") for v in served["modifications"]]
        if "category" in query.includes:
            served["category"] = self._categories.get(row["category_id"])
        if "station" in query.includes:
            served["station"] = self._stations.get(row["station_id"])
        if query.selects is not None:
            keep = query.selects | set(_ALWAYS_SELECTED) | (query.includes & set(served))
            served = {k: v for k, v in served.items() if k in keep}
        return served


def _without(row: Row, key: str) -> Row:
    return {k: v for k, v in row.items() if k != key}


class Categories(MenuCollection):
    """``GET /categories`` (trees under ``parent_id``) and ``GET /categories/{id}``."""

    def __init__(self) -> None:
        super().__init__(api.CATEGORIES, api.CATEGORY, category_rows(), "Category")

    def select(self, query: FactsQuery) -> builtins.list[Row]:
        params = query.listing.params
        kind = params.get("type") or (query.filters.get("type") or (None,))[0]
        inactive = params.get("include_inactive", False)
        return [
            row
            for row in self.rows()
            if row["parent_id"] == params.get("parent_id")
            and (kind is None or row["type"] == kind)
            and (inactive or row["status"] == 1)
        ]

    def shape(self, row: Row, query: FactsQuery) -> Row:
        params = query.listing.params
        if not params.get("include_children", True):
            return row  # API §9.6: include_children=false is the top level only
        return self.tree(row, include_inactive=bool(params.get("include_inactive", False)))

    def tree(self, row: Row, *, include_inactive: bool) -> Row:
        """The row with its subtree nested in ``children`` (API §10.9)."""
        kids = [
            self.tree(child, include_inactive=include_inactive)
            for child in self.rows()
            if child["parent_id"] == row["id"] and (include_inactive or child["status"] == 1)
        ]
        return {**row, "children": kids}


class PriceLists(MenuCollection):
    """``GET /price-lists``: nested sort, ``with[]=prices`` embeds each list's prices."""

    def __init__(self, prices: builtins.list[Row]) -> None:
        super().__init__(api.PRICE_LISTS, None, price_list_rows(), "Price list")
        self._prices = prices

    def select(self, query: FactsQuery) -> builtins.list[Row]:
        rows = super().select(query)
        if query.sort is not None:
            field, descending = query.sort
            rows.sort(key=lambda row: row[field], reverse=descending)
        return rows

    def shape(self, row: Row, query: FactsQuery) -> Row:
        if "prices" in query.includes:
            row = {**row, "prices": [p for p in self._prices if p["list_id"] == row["id"]]}
        if query.selects is not None:
            row = {k: v for k, v in row.items() if k in query.selects | {"id", "prices"}}
        return row


class Prices(MenuCollection):
    """``GET /price-lists/prices``: filtered by id, product and list; ``product``/``list``."""

    def __init__(self) -> None:
        super().__init__(api.PRICES, None, price_rows(), "Price")
        self._products = {row["id"]: row for row in product_rows()}
        self._lists = {row["id"]: row for row in price_list_rows()}

    def shape(self, row: Row, query: FactsQuery) -> Row:
        served = dict(row)
        if "product" in query.includes:
            product = self._products[row["product_id"]]
            served["product"] = {k: v for k, v in product.items() if k not in _PRODUCT_RELATIONS}
        if "list" in query.includes:
            served["list"] = self._lists[row["list_id"]]
        return served


class StopList(MenuCollection):
    """``GET /products/stop-list``: bare ``data`` of ``{id, limit, timestamp}`` (API §9.8)."""

    def __init__(self) -> None:
        super().__init__(api.STOP_LIST, None, stop_list_rows(), "Stop list entry")

    def routes(self) -> Routes:
        return [(re.compile(re.escape(self.listing.path) + "()"), {"GET": self.list})]

    def list(self, call: Call, raw_id: str | None) -> Reply:
        query = parse_facts_query(self.listing, call.query, paged=False)
        rows = b",".join(compact_json(row) for row in self.select(query))
        return Reply(status=200, body=b'{"success":true,"data":[' + rows + b"]}")


def menu_collections() -> dict[str, Collection]:
    """The catalogue's collections by ``SandboxServer.rows`` name.

    The stop list comes first, so that ``/products/stop-list`` is not read as a product id.
    """
    prices = Prices()
    return {
        "stop_list": StopList(),
        "products": Products(),
        "categories": Categories(),
        "price_lists": PriceLists(prices.rows()),
        "prices": prices,
    }

"""Small resources of the sandbox, served from the SDK's table of API facts (DESIGN §4).

One job: a generic store for small collections (stations today; sale types, payment
methods, venues... next) and the list and get routes that read an ``Endpoint``:
page and limit ranges, plain query parameters and their types, the list envelope
(``total`` or ``pagination``, API §15 item 8) and the 404 slug (API §15 item 7).
The receipts keep their own indexed store (``_store.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs
import orjson

from clopos_async._api import Endpoint, Envelope, Param, ValueType
from clopos_async.testing._query import integer, invalid
from clopos_async.testing._wire import Call, Rejected, Reply, compact_json, list_reply, meta
from clopos_async.testing._wire import object_reply as _object_reply

#: One route's handler: the admitted call and the id in its path, if any.
Handler = Callable[[Call, str | None], Reply]
#: Whether a row matches a checked parameter value (default: the same-named field equals it).
Match = Callable[[Mapping[str, Any], object], bool]

_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@attrs.frozen(kw_only=True, slots=True)
class ListQuery:
    """A checked list query: the page, its size and the plain parameters that were sent."""

    page: int
    limit: int
    params: Mapping[str, object]


def parse_list_query(endpoint: Endpoint, pairs: Iterable[tuple[str, str]]) -> ListQuery:
    """Check ``page``, ``limit`` and the endpoint's plain parameters (API §8).

    Other keys are ignored, as PHP does. The last occurrence of a key wins.
    """
    scalars = dict(pairs)
    size = endpoint.page_size
    if size is None:
        raise TypeError(f"{endpoint.name} is not a list")
    page = integer(scalars, "page", 1, low=1, high=None)
    limit = integer(scalars, "limit", size.default, low=size.low, high=size.high)
    params = {p.name: _param(p, scalars[p.name]) for p in endpoint.params if p.name in scalars}
    return ListQuery(page=page, limit=limit, params=params)


def _param(fact: Param, raw: str) -> object:
    if fact.type is ValueType.BOOL:
        # API §8 "Boolean query values": true/false; products also take 1/0.
        if raw in ("true", "1"):
            return True
        if raw in ("false", "0"):
            return False
        raise invalid(fact.name, raw, "true or false")
    value: object = raw
    if fact.type is ValueType.INT:
        value = integer({fact.name: raw}, fact.name, 0, low=0, high=None)
    if fact.choices and value not in fact.choices:
        raise invalid(fact.name, raw, "one of " + ", ".join(map(str, fact.choices)))
    return value


class Collection:
    """A small resource's rows, in id order, with the routes that serve them."""

    def __init__(
        self,
        listing: Endpoint,
        single: Endpoint | None,
        rows: Sequence[Mapping[str, Any]],
        *,
        matchers: Mapping[str, Match] | None = None,
        noun: str = "Resource",
    ) -> None:
        self.listing, self.single = listing, single
        self._rows = {str(row["id"]): compact_json(row) for row in rows}
        self._matchers = dict(matchers or {})
        self._noun = noun

    def rows(self) -> list[dict[str, Any]]:
        """Every row's wire dict (copies), in id order."""
        return [dict(orjson.loads(body)) for body in self._rows.values()]

    def routes(
        self,
    ) -> list[tuple[re.Pattern[str], dict[str, Callable[[Call, str | None], Reply]]]]:
        """The gateway's routes for this collection: the list, and the get if it has one."""
        listing: dict[str, Handler] = {"GET": self.list}
        routes = [(re.compile(re.escape(self.listing.path) + "()"), listing)]
        if self.single is not None:
            pattern = re.escape(self.single.path).replace(re.escape("{id}"), "([^/]+)")
            routes.append((re.compile(pattern), {"GET": self.get}))
        return routes

    def list(self, call: Call, raw_id: str | None) -> Reply:
        """``GET`` the list: filtered by the plain parameters, one page, its envelope."""
        query = parse_list_query(self.listing, call.query)
        found = [body for body in self._rows.values() if self._matches(body, query.params)]
        start = (query.page - 1) * query.limit
        rows = found[start : start + query.limit]
        if self.listing.envelope is Envelope.PAGINATION:
            return pagination_reply(
                call, rows, page=query.page, limit=query.limit, total=len(found)
            )
        return list_reply(call, rows, total=len(found), sorts=orjson.dumps(self.listing.sorts))

    def get(self, call: Call, raw_id: str | None) -> Reply:
        """``GET`` one row by id, or 404 with the endpoint's slug (API §15 item 7)."""
        body = self._rows.get(raw_id or "") if raw_id and _ID.fullmatch(raw_id) else None
        if body is None:
            slug = self.single.not_found if self.single is not None else "not_found"
            raise Rejected(404, slug, f"{self._noun} not found")
        return _object_reply(call, body)

    def _matches(self, body: bytes, params: Mapping[str, object]) -> bool:
        if not params:
            return True
        row = orjson.loads(body)
        return all(self._matcher(name)(row, value) for name, value in params.items())

    def _matcher(self, name: str) -> Match:
        return self._matchers.get(name) or (lambda row, value: row.get(name) == value)


def pagination_reply(call: Call, rows: list[bytes], *, page: int, limit: int, total: int) -> Reply:
    """The other list envelope: ``data`` + ``pagination{page, per_page, total, total_pages}``."""
    pagination = {
        "page": page,
        "per_page": limit,
        "total": total,
        "total_pages": -(-total // limit),
    }
    body = b"".join(
        (
            b'{"success":true,"data":[',
            b",".join(rows),
            b'],"pagination":',
            orjson.dumps(pagination),
            b",",
            meta(call),
            b"}",
        )
    )
    return Reply(status=200, body=body)

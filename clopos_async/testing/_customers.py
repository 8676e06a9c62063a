"""The sandbox's customers and customer groups (API §9.5, §10.6, §10.7).

One job: seed them (every customer in an existing group, phones unique), serve
``GET /customer-groups``, ``GET /customers`` (filters ``name`` partial and
case-insensitive, ``phones`` a part of any of a customer's phones, ``group_id``;
``with[]=group|balance|cashback_balance``), ``GET /customers/{id}`` (404
``not_found``) and ``POST /customers`` (rules in ``_customer_rules.py``), and log
every created customer in ``changes`` so tests can count duplicates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import Any

import orjson

from clopos_async._api._endpoints import CUSTOMER, CUSTOMER_GROUPS, CUSTOMERS
from clopos_async.testing._collections import Collection, Handler, pagination_reply
from clopos_async.testing._collections import parse_list_query as _page_of
from clopos_async.testing._customer_rules import check_unique, new_customer, parse_create
from clopos_async.testing._log import StateChange
from clopos_async.testing._query import filter_groups, invalid
from clopos_async.testing._wire import Call, Rejected, Reply, compact_json, object_reply

_GROUPS = (("My customers", "my_customers", None, 0), ("VIP", None, "percentage", 10),
           ("Staff", None, "percentage", 25))  # fmt: skip
_NAMES = ("Aysel Mammadova", "Rashad Aliyev", "Leyla Hasanova", "Murad Guliyev", "Nigar Ismayilova",
          "Elvin Huseynov", "Gunay Abbasova", "Tural Mammadov", "Sevinj Aliyeva", "Kamran Babayev",
          "Aysel Guliyeva", "Orkhan Rzayev", "Narmin Jafarova", "Farid Mammadli", "Lala Karimova",
          "Rauf Hasanli", "Zaur Aliyev", "Konul Mammadova", "Emil Quliyev", "Samira Aliyeva",
          "Vugar Nabiyev", "Ilaha Rahimova", "Ramil Aliyev")  # fmt: skip
_WITH = re.compile(r"with\[(\d*)\]")


def group_rows() -> list[dict[str, Any]]:
    """The customer groups (API §10.7), ISO 8601 ``…Z`` timestamps."""
    return [
        {
            "id": number,
            "name": name,
            "discount_type": kind,
            "discount_value": value,
            "system_type": system,
            "total_amount": 1500 * number,
            "created_at": f"2025-06-0{number}T08:00:00.000000Z",
            "updated_at": f"2025-06-0{number}T08:00:00.000000Z",
            "deleted_at": None,
        }
        for number, (name, system, kind, value) in enumerate(_GROUPS, start=1)
    ]


def customer_rows() -> list[dict[str, Any]]:
    """The seeded customers: groups round-robin, unique phones, a second phone on some."""
    rows = []
    for number, name in enumerate(_NAMES, start=1):
        moment = datetime(2025, 7, 1 + number % 28, 10, number, tzinfo=timezone.utc)
        row = new_customer(
            {
                "name": name,
                "cid": f"00000000-0000-4000-8000-{number:012d}",
                "phone": f"+99450{number:07d}",
                "group_id": 1 + number % len(_GROUPS),
                "gender": (None, 1, 2)[number % 3],
                "date_of_birth": None
                if number % 4 == 0
                else f"19{70 + number}-0{1 + number % 9}-15",
                "code": f"C{number:04d}" if number % 2 else None,
                "email": f"customer{number}@example.com" if number % 3 else None,
            },
            number,
            moment,
        )
        if number % 5 == 0:
            row["phones"].append(f"+99455{number:07d}")
        rows.append(row)
    return rows


def customer_groups() -> Collection:
    """``GET /customer-groups`` (limit 1-200, the ``total`` envelope)."""
    return Collection(CUSTOMER_GROUPS, None, group_rows(), noun="Customer group")


def customer_collections(changes: list[StateChange]) -> dict[str, Collection]:
    """The sandbox's ``customer_groups`` and ``customers``; creates are logged in ``changes``."""
    groups = customer_groups()
    return {"customer_groups": groups, "customers": CustomerCollection(groups, changes)}


class CustomerCollection(Collection):
    """The customers: reads with filters and includes, and the create rules."""

    def __init__(
        self,
        groups: Collection,
        changes: list[StateChange],
        now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        super().__init__(CUSTOMERS, CUSTOMER, customer_rows(), noun="Customer")
        self._groups = {row["id"]: row for row in groups.rows()}
        self.changes = changes
        self._now = now

    def routes(self) -> list[tuple[re.Pattern[str], dict[str, Handler]]]:
        """``GET|POST /customers`` and ``GET /customers/{id}``."""
        return [
            (re.compile(r"/customers()"), {"GET": self.list, "POST": self.create}),
            (re.compile(r"/customers/([^/]+)"), {"GET": self.get}),
        ]

    def list(self, call: Call, raw_id: str | None) -> Reply:
        """One page of the customers matching every filter, in id order."""
        query = _page_of(CUSTOMERS, call.query)
        filters = _filters(call.query)
        relations = _includes(call.query)
        found = [row for row in self.rows() if all(_match(row, f, v) for f, v in filters)]
        start = (query.page - 1) * query.limit
        page = [self._shaped(row, relations) for row in found[start : start + query.limit]]
        return pagination_reply(call, page, page=query.page, limit=query.limit, total=len(found))

    def get(self, call: Call, raw_id: str | None) -> Reply:
        """One customer, with ``with[]`` relations, or 404 ``not_found``."""
        body = self._rows.get(raw_id or "")
        if body is None:
            raise Rejected(404, "not_found", "Customer not found")
        return object_reply(call, self._shaped(orjson.loads(body), _includes(call.query)))

    def create(self, call: Call, raw_id: str | None) -> Reply:
        """``POST /customers``: 400 on a bad body, 409 on a taken cid/phone/code."""
        fields = parse_create(call.body, self._groups)
        check_unique(fields, self.rows())
        customer_id = 1 + max((int(key) for key in self._rows), default=0)
        row = new_customer(fields, customer_id, self._now())
        self._rows[str(customer_id)] = compact_json(row)
        self.changes.append(
            StateChange(resource="customers", action="create", id=customer_id, key=row["cid"])
        )
        return object_reply(call, self._rows[str(customer_id)], message="Customer created")

    def _shaped(self, row: dict[str, Any], relations: Iterable[str]) -> bytes:
        for relation in relations:
            if relation == "group":
                row["group"] = self._groups.get(row.get("group_id"))
            elif relation == "balance":
                row["balance"] = {"id": row["balance_id"], "system_type": "BALANCE",
                                  "name": "Balance", "type": "balance", "amount": 0}  # fmt: skip
            else:
                row["cashback_balance"] = {"type": "cashback", "amount": 0}
        return compact_json(row)


def _includes(pairs: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    found = []
    for key, value in pairs:
        if _WITH.fullmatch(key):
            if value not in CUSTOMERS.includes:
                raise invalid(key, value, "one of " + ", ".join(CUSTOMERS.includes))
            found.append(value)
    return tuple(dict.fromkeys(found))


def _filters(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """``filters[N][0]`` = field, ``filters[N][1]`` = value (API §8, §9.5)."""
    fields = tuple(f.name for f in CUSTOMERS.filters)
    checked = []
    for index, field, values in filter_groups(pairs):
        if field not in fields:
            raise invalid(f"filters[{index}]", field, "a field among " + ", ".join(fields))
        checked.append((field, values[-1]))
    return checked


def _match(row: dict[str, Any], field: str, value: str) -> bool:
    if field == "name":
        return value.casefold() in str(row.get("name") or "").casefold()
    if field == "phones":
        return any(value in phone for phone in row.get("phones") or ())
    return str(row.get("group_id")) == value

"""The resources the CLI can export and get, declared once: one ``CliResource`` each.

One job: say, per resource, how ``export`` lists it, how ``get`` fetches one, and
which CSV columns it has. ``export``/``get`` dispatch through ``RESOURCES``; a new
resource is one ``_add(...)`` line here (DESIGN §5). JSONL is always the wire shape
(``converter.unstructure``); CSV columns are plain attributes unless a resource says
otherwise (receipts keep their contract of ``_writers.CSV_COLUMNS``).
"""

from __future__ import annotations

import argparse
import csv
import io
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

import attrs

from clopos_async import CloposClient, Pager
from clopos_async.cli._writers import CsvWriter, JsonlWriter, Writer, cell

Lister = Callable[[CloposClient, argparse.Namespace], Pager[Any]]
Getter = Callable[[CloposClient, int | str, argparse.Namespace], Awaitable[Any]]
Reader = Callable[[Any], object]


@attrs.frozen(kw_only=True)
class CliResource:
    """One resource of the CLI: its list, its get (if the API has one), its CSV columns.

    ``dated``: the list takes ``--from``/``--to`` (and requires them); ``max_limit``:
    the API's page-size maximum, the default ``--limit`` (fewest requests).
    """

    name: str
    lister: Lister
    getter: Getter | None = None
    columns: tuple[str, ...] = ("id",)
    derived: Mapping[str, Reader] = attrs.field(factory=dict)
    csv: Callable[[], Writer] | None = None
    dated: bool = False
    max_limit: int = 200

    def writer(self, format: str) -> Writer:
        """The writer for ``--format`` (``jsonl`` or ``csv``)."""
        if format == "jsonl":
            return JsonlWriter()
        if self.csv is not None:
            return self.csv()
        return ColumnsWriter(self.columns, self.derived)


class ColumnsWriter:
    """CSV of any model: a header of ``columns``, one row of cells per item."""

    def __init__(self, columns: tuple[str, ...], derived: Mapping[str, Reader]) -> None:
        self._columns = columns
        self._readers = tuple(derived.get(name) or _attribute(name) for name in columns)

    def header(self) -> bytes:
        return _csv_bytes([list(self._columns)])

    def encode(self, items: Iterable[Any]) -> bytes:
        return _csv_bytes([cell(read(item)) for read in self._readers] for item in items)


def _csv_bytes(rows: Iterable[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)  # RFC 4180, as the receipts' CSV
    return buffer.getvalue().encode("utf-8")


def _attribute(name: str) -> Reader:
    def read(item: Any) -> object:
        return getattr(item, name, None)

    return read


def paging(args: argparse.Namespace) -> dict[str, Any]:
    """The pager arguments every export passes: ``--page``, ``--limit``, ``--concurrency``."""
    return {"page": args.page, "limit": args.limit, "concurrency": args.concurrency}


def path_id(text: int | str) -> int | str:
    """A command-line id: digits become an int; other ids (``kitchen``) stay strings."""
    if isinstance(text, str) and text.isascii() and text.isdigit():
        return int(text)
    return text


def _venue_map(status: Mapping[str, int] | None) -> str:
    """A venue map as ``venue:flag;...`` (API §10.12), like the receipts' payments cell."""
    return ";".join(f"{venue}:{flag}" for venue, flag in (status or {}).items())


# --- the table -----------------------------------------------------------------------------

RESOURCES: dict[str, CliResource] = {}


def _add(resource: CliResource) -> None:
    RESOURCES[resource.name] = resource


_add(CliResource(
    name="receipts", dated=True, csv=CsvWriter,
    lister=lambda c, a: c.receipts.list(date_from=a.date_from, date_to=a.date_to,
                                        sort="created_at", order="asc", include=a.include,
                                        **paging(a)),
    getter=lambda c, i, a: c.receipts.get(i, include=a.include),  # type: ignore[arg-type]
))  # fmt: skip
_add(CliResource(
    name="stations", lister=lambda c, a: c.stations.list(**paging(a)),
    getter=lambda c, i, a: c.stations.get(i),
    columns=("id", "name", "status", "type", "printable", "can_print", "created_at",
             "updated_at"),
))  # fmt: skip
_add(CliResource(
    name="venues", lister=lambda c, a: c.venues.list(**paging(a)),
    columns=("id", "name", "address", "status", "phone", "email", "is_main"),
))  # fmt: skip
_add(CliResource(
    name="users", lister=lambda c, a: c.users.list(**paging(a)),
    getter=lambda c, i, a: c.users.get(i),  # type: ignore[arg-type]
    columns=("id", "username", "full_name", "email", "mobile_number", "owner", "status",
             "created_at", "updated_at"),
))  # fmt: skip
_add(CliResource(
    name="sale_types", lister=lambda c, a: c.sale_types.list(**paging(a)),
    columns=("id", "name", "system_type", "channel", "status", "service_charge_rate",
             "position"),
    derived={"status": lambda s: _venue_map(s.status)},
))  # fmt: skip
_add(CliResource(
    name="payment_methods", lister=lambda c, a: c.payment_methods.list(**paging(a)),
    columns=("id", "name", "status", "split", "position", "customer_required", "is_system"),
    derived={"status": lambda m: _venue_map(m.status)},
))  # fmt: skip
_add(CliResource(
    name="orders", lister=lambda c, a: c.orders.list(**paging(a)),
    getter=lambda c, i, a: c.orders.get(i),
    columns=("id", "status", "order_number", "venue_id", "type", "customer_ref_id",
             "receive_terminal_id"),
))  # fmt: skip
_add(CliResource(
    name="customers", lister=lambda c, a: c.customers.list(**paging(a)),
    getter=lambda c, i, a: c.customers.get(i),
    columns=("id", "cid", "name", "phone", "email", "group_id", "venue_id"),
    max_limit=999,
))  # fmt: skip
_add(CliResource(
    name="customer_groups", lister=lambda c, a: c.customer_groups.list(**paging(a)),
    columns=("id", "name", "discount_type", "discount_value", "system_type", "created_at"),
))  # fmt: skip
_add(CliResource(
    name="products", lister=lambda c, a: c.products.list(**paging(a)),
    getter=lambda c, i, a: c.products.get(i),
    columns=("id", "name", "type", "category_id", "station_id", "parent_id", "barcode",
             "status"),
    max_limit=100,
))  # fmt: skip
_add(CliResource(
    name="categories", lister=lambda c, a: c.categories.list(**paging(a)),
    getter=lambda c, i, a: c.categories.get(i),
    columns=("id", "name", "type", "parent_id", "status", "position", "created_at"),
    max_limit=999,
))  # fmt: skip
_add(CliResource(
    name="price_lists", lister=lambda c, a: c.price_lists.list(**paging(a)),
    columns=("id", "name", "description", "status", "created_at", "updated_at"),
    max_limit=999,
))  # fmt: skip

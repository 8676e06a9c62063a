"""The receipts a sandbox serves, kept as pre-serialised wire bytes with sorted indexes.

One job: hold the receipts and answer "which ids, in what order" and "what bytes"
quickly (API §9.12). A 200-receipt page is a bisect, a slice and a bytes join.

Each receipt is stored as the orjson bytes of its wire dict (without
``receipt_products``) plus a compact recipe of its lines. Variants with ``with[]``
includes are built on demand and kept in a bounded LRU cache keyed by the
receipt's version, so a change to a receipt invalidates them.
"""

from __future__ import annotations

import bisect
import gc
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

import attrs
import orjson

from clopos_async.testing._data import ReceiptFactory, spread_created_at
from clopos_async.testing._lines import LinePlan, build_lines
from clopos_async.testing._query import SORTS, Filter, ReceiptQuery
from clopos_async.testing._reference import CATALOG
from clopos_async.testing._wire import compact_json

#: How many include-variant receipts stay serialised (about 3 kB each).
VARIANT_CACHE_SIZE = 10_000
_SORTS_JSON = compact_json(list(SORTS))
_DAY_END = "~"  # sorts after any "YYYY-MM-DD HH:mm:ss" suffix, so "day~" closes a day range

SortKey = tuple[int, Any]


@attrs.frozen(kw_only=True, slots=True)
class Record:
    """One stored receipt: wire bytes plus the few fields indexes and filters read."""

    id: int
    created_at: str
    status: int
    sale_type_id: int
    terminal_id: int
    version: int
    base: bytes  # orjson of the wire dict, without receipt_products
    lines: LinePlan


def _record(receipt: dict[str, Any], lines: LinePlan, version: int = 0) -> Record:
    return Record(
        id=receipt["id"],
        created_at=receipt["created_at"],
        status=receipt["status"],
        sale_type_id=receipt["sale_type_id"],
        terminal_id=receipt["terminal_id"],
        version=version,
        base=compact_json(receipt),
        lines=lines,
    )


class ReceiptStore:
    """Receipts by id, a (created_at, id) index, and lazily sorted orders for other fields."""

    def __init__(self, factory: ReceiptFactory, *, start: date) -> None:
        self._factory = factory
        self._start = start
        self._records: dict[int, Record] = {}
        self._next_id = 1
        self._created_keys: list[tuple[str, int]] = []  # sorted; parallel to _created_ids
        self._created_ids: list[int] = []
        self._columns: dict[str, dict[int, SortKey]] = {}
        self._orders: dict[str, list[int]] = {}
        self._variants: OrderedDict[tuple[int, int, frozenset[str]], bytes] = OrderedDict()

    @classmethod
    def generate(
        cls, *, receipts: int, seed: int, start: date, days: int, open_ratio: float
    ) -> ReceiptStore:
        """A store of ``receipts`` seeded receipts, ids 1..N ascending with created_at."""
        factory = ReceiptFactory(seed=seed, open_ratio=open_ratio)
        store = cls(factory, start=start)
        with _gc_paused():
            store.add(spread_created_at(factory.rng, receipts, start, days))
        return store

    # --- reading -----------------------------------------------------------------------

    def __contains__(self, receipt_id: object) -> bool:
        return receipt_id in self._records

    def __len__(self) -> int:
        return len(self._records)

    def wire(self, receipt_id: int) -> dict[str, Any]:
        """A fresh copy of the receipt's wire dict (no includes)."""
        return dict(orjson.loads(self._records[receipt_id].base))

    def wire_bytes(self, receipt_id: int, includes: frozenset[str] = frozenset()) -> bytes:
        """The receipt as JSON bytes, with the relations in ``includes`` loaded."""
        record = self._records[receipt_id]
        if not includes:
            return record.base
        key = (receipt_id, record.version, includes)
        cached = self._variants.get(key)
        if cached is None:
            cached = self._variants[key] = _with_lines(record, includes)
            if len(self._variants) > VARIANT_CACHE_SIZE:
                self._variants.popitem(last=False)
        else:
            self._variants.move_to_end(key)
        return cached

    def page(self, query: ReceiptQuery) -> tuple[int, list[bytes]]:
        """``total`` matching receipts and the bytes of the requested page."""
        total, ids = self.select(query)
        return total, [self.wire_bytes(receipt_id, query.includes) for receipt_id in ids]

    def select(self, query: ReceiptQuery) -> tuple[int, list[int]]:
        """``total`` matching receipts and the ids on the requested page, in order.

        Ties in the sort field are broken by id in the same direction (API §9.12 is
        silent; this keeps paging deterministic).
        """
        ordered = self._ordered(query.sort, query.date_from, query.date_to)
        if query.filters:
            ordered = [rid for rid in ordered if self._matches(rid, query.filters)]
        total = len(ordered)
        skip = (query.page - 1) * query.limit
        if skip >= total:
            return total, []
        if not query.descending:
            return total, list(ordered[skip : skip + query.limit])
        stop = total - skip
        return total, list(reversed(ordered[max(0, stop - query.limit) : stop]))

    def ids(
        self, *, date_from: date | None = None, date_to: date | None = None, status: int | None
    ) -> list[int]:
        """Ascending ids created in the inclusive day range, optionally with ``status``."""
        chosen = self._ordered("created_at", date_from, date_to)
        if status is not None:
            chosen = [rid for rid in chosen if self._records[rid].status == status]
        return sorted(chosen)

    def newest_created_at(self) -> datetime:
        if not self._created_keys:
            return datetime.combine(self._start, time(8, 0))
        return datetime.fromisoformat(self._created_keys[-1][0])

    @property
    def sorts_json(self) -> bytes:
        return _SORTS_JSON

    # --- writing -----------------------------------------------------------------------

    def add(self, created_at: Sequence[datetime]) -> list[int]:
        """Generate one receipt per moment in ``created_at``; returns the new ids."""
        first = self._next_id
        new_ids = list(range(first, first + len(created_at)))
        self._next_id += len(created_at)
        for receipt_id, moment in zip(new_ids, created_at, strict=True):
            generated = self._factory.build(receipt_id, moment)
            self._insert(_record(generated.receipt, generated.lines))
        self._orders.clear()
        return new_ids

    def replace(self, receipt_id: int, receipt: dict[str, Any]) -> None:
        """Store a changed wire dict; caches built from the old version go stale."""
        old = self._records[receipt_id]
        record = _record(receipt, old.lines, version=old.version + 1)
        self._records[receipt_id] = record
        for field, column in self._columns.items():
            column[receipt_id] = _sort_key(field, receipt, record.lines)
        self._orders.clear()

    def _insert(self, record: Record) -> None:
        self._records[record.id] = record
        key = (record.created_at, record.id)
        at = bisect.bisect_right(self._created_keys, key)
        self._created_keys.insert(at, key)
        self._created_ids.insert(at, record.id)
        if self._columns:
            receipt = orjson.loads(record.base)
            for field, column in self._columns.items():
                column[record.id] = _sort_key(field, receipt, record.lines)

    # --- ordering and filtering --------------------------------------------------------

    def _ordered(self, sort: str, date_from: date | None, date_to: date | None) -> Sequence[int]:
        """Ids ascending by (sort field, id), restricted to the created_at day range."""
        if sort == "created_at":
            return self._created_ids[self._created_span(date_from, date_to)]
        order = self._order(sort)
        if date_from is None and date_to is None:
            return order
        low = date_from.isoformat() if date_from else ""
        high = (date_to.isoformat() if date_to else "9999-12-31") + _DAY_END
        records = self._records
        return [rid for rid in order if low <= records[rid].created_at <= high]

    def _created_span(self, date_from: date | None, date_to: date | None) -> slice:
        keys = self._created_keys
        low = 0 if date_from is None else bisect.bisect_left(keys, (date_from.isoformat(),))
        high = len(keys)
        if date_to is not None:
            high = bisect.bisect_left(keys, (date_to.isoformat() + _DAY_END,))
        return slice(low, max(low, high))

    def _order(self, field: str) -> list[int]:
        order = self._orders.get(field)
        if order is None:
            column = self._column(field)
            order = self._orders[field] = sorted(self._records, key=lambda r: (column[r], r))
        return order

    def _column(self, field: str) -> dict[int, SortKey]:
        column = self._columns.get(field)
        if column is None:
            column = self._columns[field] = {
                rid: _sort_key(field, orjson.loads(record.base), record.lines)
                for rid, record in self._records.items()
            }
        return column

    def _matches(self, receipt_id: int, filters: Iterable[Filter]) -> bool:
        record = self._records[receipt_id]
        return all(getattr(record, f.field) in f.values for f in filters)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic GC: a build makes no cycles, only ever more objects to rescan."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _sort_key(field: str, receipt: dict[str, Any], lines: LinePlan) -> SortKey:
    """A key ordering nulls first, as MySQL does in ascending order."""
    value = _PRODUCT_KEYS[field](lines) if field in _PRODUCT_KEYS else receipt.get(field)
    return (0, 0) if value is None else (1, value)


def _lowest_product_type(lines: LinePlan) -> str | None:
    return min((CATALOG[product_id - 1].type for product_id, _, _ in lines.items), default=None)


#: Sorts on line-item relations (API §9.12 lists them; the rows carry no such field).
_PRODUCT_KEYS: dict[str, Callable[[LinePlan], Any]] = {
    "products.type": _lowest_product_type,
    "products.status": lambda lines: None,  # line items have no status in API §10.2
}


def _with_lines(record: Record, includes: frozenset[str]) -> bytes:
    """The receipt bytes with ``receipt_products`` spliced in, shaped by ``includes``.

    Any ``receipt_products.*`` relation loads ``receipt_products`` too, as Laravel's
    nested eager loading does.
    """
    lines = [_shape_line(line, includes) for line in build_lines(record.lines)]
    return b"".join((record.base[:-1], b',"receipt_products":', orjson.dumps(lines), b"}"))


def _shape_line(line: dict[str, Any], includes: frozenset[str]) -> dict[str, Any]:
    if "receipt_products.modificators" not in includes:
        del line["modificators"]  # API §10.2: only with with[]=receipt_products.modificators
    relation = line.pop("product")
    wanted = [
        part for part in ("unit", "station") if f"receipt_products.product.{part}" in includes
    ]
    if wanted:
        product = {k: v for k, v in relation.items() if k not in ("unit", "station")}
        product.update((part, relation[part]) for part in wanted)
        line["product"] = product
    return line


def next_moments(after: datetime, count: int, at: datetime | None) -> list[datetime]:
    """Creation times for ``count`` new receipts: ``at`` for all, else one second apart."""
    if at is not None:
        return [at] * count
    return [after + timedelta(seconds=offset) for offset in range(1, count + 1)]

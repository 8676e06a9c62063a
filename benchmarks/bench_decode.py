"""Decode benchmark: one 50-receipt page and one 100-product page (``_products_page``),
clopos_async's converter vs pydantic v2.

Run ``python -m benchmarks.bench_decode`` (``--quick`` for a fast, noisier run).
Both sides start from the same bytes. The pydantic models are built from the same
attrs field annotations (same fields, same types, unknown keys kept), and the better
of ``validate_json`` and ``validate_python`` on orjson-parsed data is the baseline.
Figures are microseconds per receipt (product), best of many short samples taken in
turns across the decoders; the ratio is what matters (machines are noisy).

The converter memoises recent money values (menu prices repeat on every line) and ISO
instants (an included category's timestamps repeat on each of its products), so a page
decoded again and again hits those memos more than real traffic would: the "memo
cleared before each page" figures are the pessimistic ones, where only repeats within
the one page help. Line prices come from a small menu, as in a real venue.
"""

from __future__ import annotations

import argparse
import random
import sys
import timeit
import typing
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from types import UnionType
from typing import Any

import attrs
import orjson
import pydantic

from benchmarks._products_page import PRODUCTS_PAGE_SIZE, build_products_page
from clopos_async._wire import clear_caches, decode_list, decode_receipts
from clopos_async.models import Product, Receipt

PAGE_SIZE = 50
LINES_PER_RECEIPT = 3

# --- the page ----------------------------------------------------------------------------------


#: A small menu at both money scales seen in the docs (API §11): "30000"-style integral
#: amounts and "8.14"-style fractional ones. Line prices come from the menu, as in a venue.
MENU = [
    ("Plov", "DISH", 8.5, 8500),
    ("Dolma", "DISH", 7.2, 7200),
    ("Lula kebab", "DISH", 9.9, 9900),
    ("Qutab", "DISH", 2.4, 2400),
    ("Piti", "DISH", 8.14, 8140),
    ("Ayran", "GOODS", 1.8, 1800),
    ("Tea set", "GOODS", 6.0, 6000),
    ("Baklava", "GOODS", 3.35, 3350),
    ("Mineral water", "GOODS", 1.2, 1200),
    ("Shah plov", "DISH", 24.5, 24500),
    ("Kufta bozbash", "DISH", 6.75, 6750),
    ("Saj", "DISH", 18.6, 18600),
]


def _scaled(value: Decimal, fractional: bool) -> int | float:
    return float(value) if fractional else int(value)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _line(
    rng: random.Random, receipt_id: int, index: int, opened: datetime, fractional: bool
) -> dict[str, Any]:
    moment = opened + timedelta(minutes=3 * index, seconds=rng.randint(0, 59))
    name, kind, fractional_price, integral_price = rng.choice(MENU)
    price = Decimal(repr(fractional_price)) if fractional else Decimal(integral_price)
    count = rng.randint(1, 3)
    total = _scaled(price * count, fractional)
    return {
        "id": receipt_id * 10 + index,
        "cid": f"line-{receipt_id}-{index}",
        "product_id": MENU.index((name, kind, fractional_price, integral_price)) + 1,
        "count": count,
        "portion_size": 1,
        "total": total,
        "price": _scaled(price, fractional),
        "subtotal": total,
        "is_gift": False,
        "discount_type": 0,
        "discount_value": 0,
        "discount_rate": 0,
        "total_discount": 0,
        "receipt_discount": 0,
        "loyalty_type": None,
        "loyalty_value": None,
        "meta": {
            "product": {
                "name": name,
                "type": kind,
                "price": _scaled(price, fractional),
                "barcode": None,
            }
        },
        "modificators": [],
        "created_at": _stamp(moment),
        "updated_at": _stamp(moment + timedelta(minutes=1)),
    }


def _receipt(rng: random.Random, receipt_id: int, moment: datetime) -> dict[str, Any]:
    fractional = rng.random() < 0.5
    closed = rng.random() < 0.8
    lines = [_line(rng, receipt_id, i, moment, fractional) for i in range(LINES_PER_RECEIPT)]
    total = sum((Decimal(repr(line["total"])) for line in lines), Decimal(0))
    wire_total = _scaled(total, fractional)
    return {
        **_receipt_header(rng, receipt_id, closed),
        **_receipt_money(wire_total, closed),
        "payment_methods": [{"id": 1, "name": "Cash", "amount": wire_total}] if closed else [],
        "fiscal_id": f"FSC-{receipt_id:06d}" if closed else None,
        "loyalty_type": None,
        "loyalty_value": None,
        "address": None,
        "description": rng.choice([None, "no onions", "window table"]),
        "meta": {
            "preprint_count": rng.randint(0, 2),
            "sale_type": {"name": "In-store"},
            "user": {"name": "Aysel"},
            "terminal_updated_at": int(moment.timestamp() * 1000),
            "availiableDeposit": 0,
        },
        "properties": {"daily_id": receipt_id % 100, "monthly_id": receipt_id},
        "created_at": _stamp(moment),
        "updated_at": _stamp(moment + timedelta(minutes=40)),
        "closed_at": _stamp(moment + timedelta(minutes=40)) if closed else None,
        "shift_date": moment.date().isoformat(),
        "deleted_at": None,
        **_receipt_additional(rng, receipt_id, total, fractional),
        "receipt_products": lines,
    }


def _receipt_header(rng: random.Random, receipt_id: int, closed: bool) -> dict[str, Any]:
    return {
        "id": receipt_id,
        "cid": f"receipt-{receipt_id:08d}",
        "venue_id": 1,
        "customer_id": rng.choice([None, rng.randint(1, 900)]),
        "user_id": rng.randint(1, 12),
        "terminal_id": rng.randint(1, 4),
        "sale_type_id": rng.randint(1, 3),
        "source": rng.choice(["pos", "web"]),
        "guests": rng.randint(1, 6),
        "status": 2 if closed else 1,
        "order_status": "COMPLETED" if closed else "IN_PROGRESS",
        "order_number": None,
        "lock": False,
        "inventory_status": 0,
        "report_status": 3,
        "printed": closed,
    }


def _receipt_money(total: int | float, closed: bool) -> dict[str, Any]:
    zero: dict[str, Any] = dict.fromkeys(
        ("gift_total", "discount_type", "discount_value", "discount_rate", "total_discount"), 0
    )
    zero.update(
        dict.fromkeys(("service_charge", "service_charge_value", "delivery_fee", "e_tax"), 0)
    )
    return {
        "total": total,
        "subtotal": total,
        "original_subtotal": total,
        **zero,
        "remaining": 0 if closed else total,
        "i_tax": 0,
        "total_tax": 0,
        "by_cash": total if closed else 0,
        "by_card": 0,
    }


def _receipt_additional(
    rng: random.Random, receipt_id: int, total: Decimal, fractional: bool
) -> dict[str, Any]:
    return {
        "cash_shift_cid": f"shift-{receipt_id // 40}",
        "open_by_user_id": rng.randint(1, 12),
        "close_by_user_id": rng.randint(1, 12),
        "table_id": rng.choice([None, rng.randint(1, 30)]),
        "hall_id": rng.choice([None, 1, 2]),
        "is_returns": False,
        "suspicion": 0,
        "totalCost": _scaled(_cost_of(total, fractional), fractional),
        "terminal_version": "4.12.0",
        "gift_count": 0,
        "local_status": 2,
    }


def _cost_of(total: Decimal, fractional: bool) -> Decimal:
    cost = total * Decimal("0.35")
    return cost.quantize(Decimal("0.01") if fractional else Decimal(1))


def build_page(size: int = PAGE_SIZE, seed: int = 7) -> bytes:
    """The ``data`` array of one receipts page (receipt_products included), as JSON bytes."""
    rng = random.Random(seed)
    start = datetime(2025, 8, 12, 9, 0, 0)
    receipts = [_receipt(rng, 20000 + i, start + timedelta(minutes=7 * i)) for i in range(size)]
    return orjson.dumps(receipts)


# --- pydantic models of the same fields --------------------------------------------------------


def _pydantic_annotation(annotation: Any, made: dict[type, type[pydantic.BaseModel]]) -> Any:
    """The same annotation with attrs models swapped for their pydantic twins, tuples for lists."""
    if isinstance(annotation, UnionType):
        members = [_pydantic_annotation(a, made) for a in typing.get_args(annotation)]
        union: Any = members[0]
        for member in members[1:]:
            union = union | member
        return union
    if attrs.has(annotation):
        return _pydantic_model(annotation, made)
    if typing.get_origin(annotation) is tuple:
        (item, _) = typing.get_args(annotation)
        return list[_pydantic_annotation(item, made)]  # type: ignore[misc]
    return annotation


def _pydantic_model(model: type, made: dict[type, type[pydantic.BaseModel]]) -> Any:
    if model in made:
        return made[model]
    if model in _BUILDING:  # a recursive model (category children, product variants)
        return f"Pydantic{model.__name__}"
    _BUILDING.add(model)
    try:
        hints = typing.get_type_hints(model)
        definitions: dict[str, Any] = {
            _python_name(field.name): (
                _pydantic_annotation(hints[field.name], made),
                _pydantic_default(field),
            )
            # pydantic keeps unknown keys itself (extra="allow"); _absent has no twin.
            for field in attrs.fields(model)
            if field.name not in ("extra", "_absent")
        }
        made[model] = pydantic.create_model(
            f"Pydantic{model.__name__}",
            __config__=pydantic.ConfigDict(extra="allow", populate_by_name=True),
            **definitions,
        )
    finally:
        _BUILDING.discard(model)
    if not _BUILDING:  # the outermost model: resolve the recursive references now
        names = {twin.__name__: twin for twin in made.values()}
        for twin in made.values():
            twin.model_rebuild(_types_namespace=names)
    return made[model]


_BUILDING: set[type] = set()


def _python_name(name: str) -> str:
    """pydantic takes ``_lft`` for a private attribute: the field is ``lft_``, aliased."""
    return name.lstrip("_") + "_" if name.startswith("_") else name


def _pydantic_default(field: attrs.Attribute[Any]) -> Any:
    alias = field.name if field.name.startswith("_") else None
    if field.default is attrs.NOTHING:
        return pydantic.Field(alias=alias)  # required
    if field.default == ():
        return pydantic.Field(default_factory=list, alias=alias)
    return pydantic.Field(default=field.default, alias=alias)


def pydantic_receipt_model() -> Any:
    """A pydantic v2 model with every field (and nested model) of ``Receipt``."""
    return _pydantic_model(Receipt, {})


# --- timing ------------------------------------------------------------------------------------


def _best_us(runs: dict[str, Callable[[], object]], items: int, quick: bool) -> dict[str, float]:
    """Best µs per item of each run, timed in turns: one short sample of each, again and
    again, so a load spike on a shared machine hits every decoder alike, not one alone."""
    number, rounds = (10, 6) if quick else (20, 35)
    samples: dict[str, list[float]] = {key: [] for key in runs}
    for _ in range(rounds):
        for key, run in runs.items():
            samples[key].append(timeit.timeit(run, number=number))
    return {key: min(times) / number / items * 1e6 for key, times in samples.items()}


def run(quick: bool = False) -> dict[str, float]:
    """Time the four decoders on one page; µs per receipt and the ours/pydantic ratio."""
    page = build_page()
    receipts_type: Any = list[pydantic_receipt_model()]  # type: ignore[misc]
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(receipts_type)
    _check_same_result(page, adapter)
    runs: dict[str, Callable[[], object]] = {
        "orjson_loads_us": lambda: orjson.loads(page),
        "clopos_us": lambda: decode_receipts(orjson.loads(page)),
        # Every page decoded with an empty money memo: only repeats within the page help.
        "clopos_cold_us": lambda: _decode_cold(page),
        "pydantic_validate_json_us": lambda: adapter.validate_json(page),
        "pydantic_validate_python_us": lambda: adapter.validate_python(orjson.loads(page)),
    }
    figures = _best_us(runs, PAGE_SIZE, quick)
    baseline = min(figures["pydantic_validate_json_us"], figures["pydantic_validate_python_us"])
    figures["pydantic_best_us"] = baseline
    figures["ratio_vs_pydantic"] = figures["clopos_us"] / baseline
    figures["ratio_cold_vs_pydantic"] = figures["clopos_cold_us"] / baseline
    return figures


def run_products(quick: bool = False) -> dict[str, float]:
    """Time a 100-product page (variants, modificator groups, category and station included)
    through ``decode_list(Product, …)`` against pydantic v2 twins; µs per product and ratio."""
    page = build_products_page()
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(
        list[_pydantic_model(Product, {})]  # type: ignore[misc]
    )
    ours = decode_list(Product, orjson.loads(page))
    theirs = adapter.validate_json(page)
    if [(p.id, p.price, len(p.modifications or ())) for p in ours] != [
        (p.id, p.price, len(p.modifications)) for p in theirs
    ]:
        raise RuntimeError("clopos_async and pydantic disagree about the products page")
    runs: dict[str, Callable[[], object]] = {
        "clopos_us": lambda: decode_list(Product, orjson.loads(page)),
        # Every page decoded with empty money and ISO memos: only repeats within the page.
        "clopos_cold_us": lambda: _decode_products_cold(page),
        "pydantic_validate_json_us": lambda: adapter.validate_json(page),
        "pydantic_validate_python_us": lambda: adapter.validate_python(orjson.loads(page)),
    }
    figures = _best_us(runs, len(ours), quick)
    baseline = min(figures["pydantic_validate_json_us"], figures["pydantic_validate_python_us"])
    figures["pydantic_best_us"] = baseline
    figures["ratio_vs_pydantic"] = figures["clopos_us"] / baseline
    figures["ratio_cold_vs_pydantic"] = figures["clopos_cold_us"] / baseline
    return figures


def _decode_products_cold(page: bytes) -> list[Product]:
    clear_caches()
    return decode_list(Product, orjson.loads(page))


def _decode_cold(page: bytes) -> list[Receipt]:
    clear_caches()
    return decode_receipts(orjson.loads(page))


def _check_same_result(page: bytes, adapter: pydantic.TypeAdapter[Any]) -> None:
    """Both decoders must see the same page: same receipts, same totals, all line items."""
    ours = decode_receipts(orjson.loads(page))
    theirs = adapter.validate_json(page)
    same = [(r.id, r.total) for r in ours] == [(r.id, r.total) for r in theirs]
    lines = sum(len(r.receipt_products or ()) for r in ours)
    if not same or len(ours) != PAGE_SIZE or lines != PAGE_SIZE * LINES_PER_RECEIPT:
        raise RuntimeError("clopos_async and pydantic disagree about the benchmark page")


def _print_table(figures: dict[str, float]) -> None:
    rows = [
        ("orjson.loads alone", figures["orjson_loads_us"]),
        ("orjson.loads + clopos_async decode_receipts", figures["clopos_us"]),
        ("  same, money memo cleared before each page", figures["clopos_cold_us"]),
        ("pydantic TypeAdapter.validate_json", figures["pydantic_validate_json_us"]),
        ("orjson.loads + pydantic validate_python", figures["pydantic_validate_python_us"]),
    ]
    print(f"decode of a {PAGE_SIZE}-receipt page ({LINES_PER_RECEIPT} line items each)")
    print(f"{'decoder':<46} {'µs/receipt':>11}")
    for label, value in rows:
        print(f"{label:<46} {value:>11.2f}")
    print(f"{'ratio clopos_async / best pydantic':<46} {figures['ratio_vs_pydantic']:>11.2f}")
    print(
        f"{'ratio, memo cleared before each page':<46} {figures['ratio_cold_vs_pydantic']:>11.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Decode benchmark: clopos_async vs pydantic v2")
    parser.add_argument("--quick", action="store_true", help="fewer repeats, noisier figures")
    args = parser.parse_args(argv)
    _print_table(run(quick=args.quick))
    products = run_products(quick=args.quick)
    print(f"decode of a {PRODUCTS_PAGE_SIZE}-product page: {products['clopos_us']:.2f} µs/product, "
          f"ratio vs best pydantic {products['ratio_vs_pydantic']:.2f}, "
          f"memo cleared before each page {products['ratio_cold_vs_pydantic']:.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

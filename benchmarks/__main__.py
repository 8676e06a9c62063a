"""``python -m benchmarks [--quick] [--out DIR] [--strict]``: every benchmark, one table.

Runs the benchmarks of DESIGN §6 side by side in one process (each sandbox in a
child process where its own cost would skew the figure), prints one table of
ratios against their goals, and writes the figures as JSON to
``DIR/latest.json`` and ``DIR/<UTC stamp>.json`` (``DIR`` defaults to
``benchmarks/results``). Exit status 0 unless a benchmark failed to run;
``--strict`` also exits 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from benchmarks import (
    bench_decode,
    bench_fleet,
    bench_memory,
    bench_overhead,
    bench_prefetch,
    bench_ratelimit,
    bench_shifting,
)
from benchmarks._report import (
    DEFAULT_RESULTS_DIR,
    Measure,
    format_table,
    now_utc,
    results_document,
    write_results,
)

DECODE_GOAL = 1.0
EXIT_MISSED = 1

Measurer = Callable[[bool], list[Measure]]


def _decode_row(key: str, label: str, unit: str, figures: dict[str, float], note: str) -> Measure:
    """One decode row: ours vs the best pydantic v2 decoder, against ``DECODE_GOAL``."""
    ratio = figures["ratio_vs_pydantic"]
    return Measure(
        key=key,
        label=label,
        ours=figures["clopos_us"],
        baseline=figures["pydantic_best_us"],
        unit=unit,
        ratio=ratio,
        goal=f"<= {DECODE_GOAL:.2f}",
        passed=ratio <= DECODE_GOAL,
        note=f"{note}memo cleared each page: {figures['ratio_cold_vs_pydantic']:.3f}x",
        details=dict(figures),
    )


def decode_measures(quick: bool) -> list[Measure]:
    """The decode row, from ``bench_decode.run`` (µs per receipt, ours vs pydantic v2)."""
    label = f"decode a {bench_decode.PAGE_SIZE}-receipt page vs pydantic v2"
    return [_decode_row("decode", label, "µs/receipt", bench_decode.run(quick=quick), "")]


def decode_products_measures(quick: bool) -> list[Measure]:
    """The products decode row (API §10.11): a 100-product page vs pydantic v2."""
    label = f"decode a {bench_decode.PRODUCTS_PAGE_SIZE}-product page vs pydantic v2"
    figures = bench_decode.run_products(quick=quick)
    note = "variants, modificator groups, category and station included; "
    return [_decode_row("decode_products", label, "µs/product", figures, note)]


def _async(run: Callable[[bool], Coroutine[Any, Any, list[Measure]]]) -> Measurer:
    """Run an async benchmark on a fresh event loop of its own."""

    def measure(quick: bool) -> list[Measure]:
        return asyncio.run(run(quick))

    return measure


#: In this order: memory first, while this process has freed nothing yet for it to reuse.
BENCHMARKS: tuple[tuple[str, Measurer], ...] = (
    ("memory", _async(bench_memory.measure)),
    ("overhead", _async(bench_overhead.measure)),
    ("decode", decode_measures),
    ("decode products", decode_products_measures),
    ("prefetch", _async(bench_prefetch.measure)),
    ("rate limit", _async(bench_ratelimit.measure)),
    ("fleet", _async(bench_fleet.measure)),
    ("re-reads", _async(bench_shifting.measure)),
)


def run_all(quick: bool) -> list[Measure]:
    measures: list[Measure] = []
    for name, measure in BENCHMARKS:
        started = time.perf_counter()
        measures.extend(measure(quick))
        print(f"# {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return measures


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller runs (~30 s), noisier")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_RESULTS_DIR, help="directory for the JSON results"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = now_utc()
    clock = time.perf_counter()
    measures = run_all(args.quick)
    seconds = time.perf_counter() - clock
    document = results_document(measures, quick=args.quick, started=started, seconds=seconds)
    paths = write_results(document, args.out, started)
    print(format_table(measures))
    print(f"\n{'quick run' if args.quick else 'full run'} in {seconds:.1f} s; wrote {paths[0]}")
    if args.strict and not document["all_passed"]:
        return EXIT_MISSED
    return 0


if __name__ == "__main__":
    sys.exit(main())

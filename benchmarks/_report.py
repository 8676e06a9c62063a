"""Benchmark results: the ``Measure`` record, the printed table and the JSON files.

One job: turn the measures of one run into a table on stdout and into
``<out>/latest.json`` plus a timestamped copy ``<out>/<UTC stamp>.json``
(``bench_main`` is the shared ``python -m benchmarks.bench_X [--quick]`` entry point).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
from collections.abc import Callable, Coroutine, Mapping, Sequence
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import attrs
import orjson

#: Where results go unless ``--out`` says otherwise.
DEFAULT_RESULTS_DIR = Path(__file__).resolve().parent / "results"
SCHEMA = 1
_VERSIONED = ("clopos-async", "aiohttp", "orjson", "attrs", "cattrs", "pydantic")

Figure = float | int


@attrs.frozen(kw_only=True, slots=True)
class Measure:
    """One row of the table: our figure against a baseline, their ratio and the goal.

    ``passed`` is ``None`` for rows shown for information only (no goal of their
    own). ``details`` holds the extra figures and exact counts behind the row.
    """

    key: str
    label: str
    ours: float
    baseline: float
    unit: str
    ratio: float
    goal: str
    passed: bool | None
    note: str = ""
    details: Mapping[str, Figure] = attrs.field(factory=dict)

    @property
    def verdict(self) -> str:
        if self.passed is None:
            return "info"
        return "PASS" if self.passed else "MISS"


# --- the table ------------------------------------------------------------------------------

_HEADERS = ("measure", "ours", "baseline", "ratio", "goal", "result", "notes")


def _cells(measure: Measure) -> tuple[str, ...]:
    return (
        measure.label,
        f"{_number(measure.ours)} {measure.unit}",
        f"{_number(measure.baseline)} {measure.unit}",
        f"{measure.ratio:.3f}",
        measure.goal,
        measure.verdict,
        measure.note,
    )


def _number(value: float) -> str:
    """Three significant digits at least, no scientific notation for our ranges."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3f}"


def format_table(measures: Sequence[Measure]) -> str:
    """The measures as an aligned plain-text table, one row each."""
    rows = [_HEADERS, *(_cells(m) for m in measures)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADERS))]
    lines = [_format_row(row, widths) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _format_row(row: Sequence[str], widths: Sequence[int]) -> str:
    left_aligned = {0, 4, 5, 6}
    cells = [
        cell.ljust(width) if index in left_aligned else cell.rjust(width)
        for index, (cell, width) in enumerate(zip(row, widths, strict=True))
    ]
    return "  ".join(cells).rstrip()


def bench_main(
    measure: Callable[[bool], Coroutine[Any, Any, list[Measure]]],
    argv: list[str] | None,
    *,
    doc: str,
    quick_help: str,
) -> int:
    """Parse ``[--quick]``, run one async benchmark on a fresh loop, print its table.

    ``doc`` is the benchmark module's docstring: its first line describes it in ``--help``.
    """
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=quick_help)
    args = parser.parse_args(argv)
    print(format_table(asyncio.run(measure(args.quick))))
    return 0


# --- the JSON files ---------------------------------------------------------------------------


def machine_facts() -> dict[str, Any]:
    """What the figures depend on besides the code: interpreter, CPUs, library versions."""
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "executable": sys.executable,
        "versions": {name: _version_of(name) for name in _VERSIONED},
    }


def _version_of(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def results_document(
    measures: Sequence[Measure], *, quick: bool, started: datetime, seconds: float
) -> dict[str, Any]:
    """The JSON-ready record of one run."""
    return {
        "schema": SCHEMA,
        "started_utc": started.isoformat(),
        "seconds": round(seconds, 3),
        "quick": quick,
        "machine": machine_facts(),
        "all_passed": all(m.passed is not False for m in measures),
        "measures": [_measure_document(m) for m in measures],
    }


def _measure_document(measure: Measure) -> dict[str, Any]:
    document = attrs.asdict(measure)
    document["details"] = dict(measure.details)
    document["verdict"] = measure.verdict
    return document


def utc_stamp(moment: datetime) -> str:
    """A file-name-safe UTC stamp: ``20250812T093000Z``."""
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def write_results(document: Mapping[str, Any], out_dir: Path, started: datetime) -> list[Path]:
    """Write ``latest.json`` and ``<UTC stamp>.json`` under ``out_dir``; return both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"
    paths = [out_dir / "latest.json", out_dir / f"{utc_stamp(started)}.json"]
    for path in paths:
        path.write_bytes(payload)
    return paths


def now_utc() -> datetime:
    return datetime.now(timezone.utc)

"""The benchmark suite: ``python -m benchmarks --quick`` end to end, and its pure helpers.

The end-to-end run is a subprocess, once per module. Timings are never asserted
(machines are noisy); what is asserted is that every measure is there with
numeric figures, and the counts that are exact by design: no 429s, every
receipt streamed once, every page fetched once.
"""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson
import pytest

from benchmarks import (
    bench_fleet,
    bench_memory,
    bench_overhead,
    bench_prefetch,
    bench_ratelimit,
    bench_shifting,
)
from benchmarks._report import Measure, format_table, results_document, utc_stamp, write_results
from clopos_async.testing import LoggedRequest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RUN_TIMEOUT = 300  # seconds; the quick run takes ~20 s, a loaded CI machine longer

EXPECTED_KEYS = [
    "memory_peak",
    "memory_flat",
    "overhead",
    "decode",
    "decode_products",
    "prefetch_c1",
    "prefetch_c4",
    "prefetch_c8",
    "rate_limit",
    "fleet_n1",
    "fleet_n2",
    "fleet_n4",
    "fleet_n8",
    "fleet_overhead",
    "reread_inserts",
    "reread_close_loop",
    "reread_others_close",
]


class QuickRun:
    """What one ``python -m benchmarks --quick --out DIR`` left behind."""

    def __init__(self, completed: subprocess.CompletedProcess[str], out_dir: Path) -> None:
        self.returncode = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.out_dir = out_dir
        latest = out_dir / "latest.json"
        self.document: dict[str, Any] = orjson.loads(latest.read_bytes()) if latest.exists() else {}

    def measure(self, key: str) -> dict[str, Any]:
        return next(m for m in self.document["measures"] if m["key"] == key)


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> QuickRun:
    out_dir = tmp_path_factory.mktemp("bench") / "results"
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--out", str(out_dir)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    return QuickRun(completed, out_dir)


# --- the quick run, end to end ------------------------------------------------------------------


def test_quick_run_exits_zero(quick_run: QuickRun) -> None:
    assert quick_run.returncode == 0, quick_run.stderr


def test_quick_run_prints_one_table_with_every_measure(quick_run: QuickRun) -> None:
    lines = quick_run.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("measure"))
    assert lines[header].split()[:6] == ["measure", "ours", "baseline", "ratio", "goal", "result"]
    rows = lines[header + 2 : header + 2 + len(EXPECTED_KEYS)]
    labels = [m["label"] for m in quick_run.document["measures"]]
    assert [row[: len(label)] for row, label in zip(rows, labels, strict=True)] == labels
    verdicts = {m["verdict"] for m in quick_run.document["measures"]}
    assert verdicts <= {"PASS", "MISS", "info"}
    assert all(any(v in row.split() for v in ("PASS", "MISS", "info")) for row in rows)


def test_json_holds_every_measure_with_numeric_figures(quick_run: QuickRun) -> None:
    document = quick_run.document
    assert [m["key"] for m in document["measures"]] == EXPECTED_KEYS
    for measure in document["measures"]:
        for field in ("ours", "baseline", "ratio"):
            value = measure[field]
            assert isinstance(value, (int, float)), (measure["key"], field, value)
            assert math.isfinite(value), (measure["key"], field, value)
        assert measure["passed"] in (True, False, None)
        assert all(isinstance(v, (int, float)) for v in measure["details"].values())
    assert document["quick"] is True
    assert document["all_passed"] == all(m["passed"] is not False for m in document["measures"])


@pytest.mark.parametrize("name", list(bench_shifting.SCENARIOS))
def test_rereads_lose_nothing_and_static_sweeps_read_each_page_once(
    quick_run: QuickRun, name: str
) -> None:
    measure = quick_run.measure(f"reread_{name}")
    details = measure["details"]
    assert measure["passed"] is True
    for concurrency in bench_shifting.CONCURRENCIES:
        assert details[f"lost_c{concurrency}"] == 0
        assert details[f"static_requests_c{concurrency}"] == details["pages_static"]
        assert details[f"requests_c{concurrency}"] >= details["pages_static"]


def test_json_records_the_machine(quick_run: QuickRun) -> None:
    machine = quick_run.document["machine"]
    assert machine["python"] == ".".join(map(str, sys.version_info[:3]))
    assert isinstance(machine["cpu_count"], int)
    assert machine["cpu_count"] >= 1


def test_timestamped_copy_matches_latest(quick_run: QuickRun) -> None:
    stamped = [p for p in quick_run.out_dir.glob("*.json") if p.name != "latest.json"]
    assert len(stamped) == 1
    assert stamped[0].read_bytes() == (quick_run.out_dir / "latest.json").read_bytes()
    started = datetime.fromisoformat(quick_run.document["started_utc"])
    assert stamped[0].name == f"{utc_stamp(started)}.json"


def test_rate_limit_run_saw_no_429(quick_run: QuickRun) -> None:
    details = quick_run.measure("rate_limit")["details"]
    assert details["rate_limited_429"] == 0
    assert details["client_rate_limited"] == 0
    assert details["windows"] == bench_ratelimit.QUICK_WINDOWS
    assert details["admitted_total"] > 0
    # The server never admitted more than its tier in any window-long span.
    assert details["busiest_sliding_window"] <= bench_ratelimit.BUDGET


def test_fleet_runs_shared_one_budget_and_one_token(quick_run: QuickRun) -> None:
    for n in bench_fleet.FLEETS:
        details = quick_run.measure(f"fleet_n{n}")["details"]
        assert details["processes"] == n
        assert details["rate_limited_429"] == 0
        assert details["auth_calls"] == 1


def test_memory_run_streamed_every_receipt_once(quick_run: QuickRun) -> None:
    details = quick_run.measure("memory_peak")["details"]
    assert details["receipts_streamed"] == bench_memory.QUICK_RECEIPTS
    # No page past the end, none twice: exactly N / limit page requests.
    assert details["page_requests"] == bench_memory.QUICK_RECEIPTS // bench_memory.PAGE_LIMIT


@pytest.mark.parametrize("concurrency", bench_prefetch.CONCURRENCIES)
def test_prefetch_fetched_every_page_exactly_once(quick_run: QuickRun, concurrency: int) -> None:
    details = quick_run.measure(f"prefetch_c{concurrency}")["details"]
    assert details["pages_seen"] == bench_prefetch.PAGES
    assert details["page_requests_min"] == details["page_requests_max"] == bench_prefetch.PAGES
    assert details["receipts_per_sweep"] == bench_prefetch.PAGES * bench_prefetch.PAGE_LIMIT


def test_overhead_run_sent_one_request_per_call(quick_run: QuickRun) -> None:
    details = quick_run.measure("overhead")["details"]
    plan = bench_overhead.QUICK
    calls = plan.warm_up + plan.rounds * plan.per_round
    assert details["sdk_requests"] == calls + 1  # and one POST /auth for the token


# --- pure helpers ---------------------------------------------------------------------------------


def _admitted(*started: float, status: int = 200) -> list[LoggedRequest]:
    return [
        LoggedRequest(
            method="GET",
            path="/receipts/1",
            query=[],
            status=status,
            started=moment,
            elapsed=0.001,
            rate_limited=status == 429,
        )
        for moment in started
    ]


def test_count_windows_starts_at_the_first_admitted_request() -> None:
    window = bench_ratelimit.WINDOW
    log = [
        *_admitted(10.0, 10.0 + window * 0.5, 10.0 + window * 0.99),
        *_admitted(10.0 + window, 10.0 + window * 1.5),
        *_admitted(10.0 + window * 0.2, status=429),  # refused: not admitted
        *_admitted(10.0 + window * 3.1),  # after the last counted window
    ]
    assert bench_ratelimit.count_windows(log, 2) == (3, 2)


def test_count_windows_of_an_empty_log_is_zeros() -> None:
    assert bench_ratelimit.count_windows([], 3) == (0, 0, 0)


def test_busiest_sliding_window_counts_any_span() -> None:
    window = bench_ratelimit.WINDOW
    # Two in the first window and three in the second, but four within one span.
    log = _admitted(0.0, window * 0.1, window * 0.6, window * 0.9, window * 1.05, window * 1.8)
    assert bench_ratelimit.busiest_sliding_window(log) == 4


@pytest.mark.parametrize(
    ("pages", "concurrency", "ideal_rounds", "floor_rounds"),
    [(40, 1, 40, 40), (40, 4, 10, 11), (40, 8, 5, 6), (1, 8, 1, 1), (9, 8, 2, 2)],
)
def test_prefetch_ideal_and_floor(
    pages: int, concurrency: int, ideal_rounds: int, floor_rounds: int
) -> None:
    assert bench_prefetch.ideal_seconds(pages, concurrency, 1.0) == ideal_rounds
    assert bench_prefetch.floor_seconds(pages, concurrency, 1.0) == floor_rounds


def _measure(key: str, passed: bool | None) -> Measure:
    return Measure(
        key=key,
        label=f"the {key} row",
        ours=1.5,
        baseline=1.0,
        unit="s",
        ratio=1.5,
        goal="<= 2.00",
        passed=passed,
        note="a note",
        details={"count": 3},
    )


def test_table_has_a_header_a_rule_and_one_aligned_row_per_measure() -> None:
    rows = [_measure("a", True), _measure("bb", False), _measure("ccc", None)]
    lines = format_table(rows).splitlines()
    assert len(lines) == 2 + len(rows)
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert [line.split()[-3] for line in lines[2:]] == ["PASS", "MISS", "info"]
    ratio_column = lines[0].index("ratio") + len("ratio")
    assert all(line[:ratio_column].endswith("1.500") for line in lines[2:])


def test_results_are_written_twice_with_the_same_figures(tmp_path: Path) -> None:
    started = datetime(2025, 8, 12, 9, 30, 0, tzinfo=timezone.utc)
    rows = [_measure("a", True), _measure("b", None)]
    document = results_document(rows, quick=False, started=started, seconds=1.25)
    paths = write_results(document, tmp_path / "out", started)
    assert [p.name for p in paths] == ["latest.json", "20250812T093000Z.json"]
    written = [orjson.loads(p.read_bytes()) for p in paths]
    assert written[0] == written[1]
    assert written[0]["all_passed"] is True
    assert [m["verdict"] for m in written[0]["measures"]] == ["PASS", "info"]
    assert written[0]["measures"][0]["details"] == {"count": 3}


def test_all_passed_is_false_when_a_goal_is_missed() -> None:
    started = datetime(2025, 8, 12, tzinfo=timezone.utc)
    rows = [_measure("a", True), _measure("b", False)]
    assert results_document(rows, quick=True, started=started, seconds=0.0)["all_passed"] is False

"""Every example runs as its README says (``python examples/NAME.py``) and prints what it claims.

Scripts run in a subprocess from a scratch directory, so none depends on the
current directory; the fixture example runs under pytest the same way.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TIMEOUT = 60

#: Lines (regular expressions) each script must print. Every script needs an entry.
MARKERS: dict[str, tuple[str, ...]] = {
    "quickstart.py": (
        r"^page 1 of \d+: 10 of \d+ receipts$",
        r"^iterated \d+ closed receipts, the largest total \d",
        r"^got receipt \d+: [1-9]\d* line items, total \d",
        r"^closed receipt \d+ at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, paid Cash \d",
    ),
    "bulk_export.py": (
        r"^\d+ requests, 0 429s, 0 retries$",
        r"^wrote 3000 receipts to receipts-2025-08\.jsonl in ",
        r"^read back 3000 receipts$",
    ),
    "close_worker.py": (
        r"^w\d: receipt \d+ conflict: closed elsewhere$",
        r"^exactly once: the server applied 2 closes for 4 events$",
    ),
    "order_to_close.py": (
        r"^order \d+ \(WEB-1042\) is PENDING$",
        r"^created once: 1 order for 2 calls and a lost answer \(\d+\)$",
        r"^closed receipt \d+ of order \d+ for 22\.2$",
        r"^receipt \d+: status 2, COMPLETED$",
    ),
    "web_app.py": (r'^GET /receipts/7 -> 200 \{"id": 7, "status": \d, "total": "\d',),
}


def scripts() -> list[str]:
    return sorted(p.name for p in EXAMPLES.glob("*.py") if not p.name.startswith("test_"))


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT
    )


def test_every_script_has_markers() -> None:
    assert scripts() == sorted(MARKERS)


@pytest.mark.parametrize("name", scripts())
def test_example_runs_and_prints_its_markers(name: str, tmp_path: Path) -> None:
    result = run([str(EXAMPLES / name)], cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for marker in MARKERS[name]:
        assert re.search(marker, result.stdout, re.MULTILINE), (marker, result.stdout)


def test_close_worker_closes_the_duplicate_event_with_the_same_result(tmp_path: Path) -> None:
    result = run([str(EXAMPLES / "close_worker.py")], cwd=tmp_path)
    closes = re.findall(r"receipt (\d+) closed at (.+)$", result.stdout, re.MULTILINE)
    # Three successes (first, second, first again) for two receipts: the replay reports
    # the very close that was applied the first time.
    assert len(closes) == 3
    assert len(set(closes)) == 2


def test_fixture_example_passes_under_pytest(tmp_path: Path) -> None:
    test_file = EXAMPLES / "test_with_sandbox_fixture.py"
    result = run(["-m", "pytest", str(test_file), "-q", "-p", "no:cacheprovider"], cwd=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^2 passed", result.stdout, re.MULTILINE), result.stdout

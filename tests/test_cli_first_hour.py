"""The CLI as a newcomer meets it (issue 10): help, wording, odd cases, pacing progress.

Each case runs the command (a subprocess against the embedded sandbox or a
SandboxServer started here) or the unit that renders the text, and asserts what
the user reads.
"""

from __future__ import annotations

import asyncio
import io
import subprocess
from decimal import Decimal
from typing import Any

import pytest

from clopos_async import ClientStats, PaymentMethod, RateLimit, Receipt
from clopos_async.cli import main
from clopos_async.cli._progress import WAIT_LINE_INTERVAL, Progress, Snapshot, describe
from clopos_async.cli._writers import CSV_COLUMNS, flatten
from clopos_async.testing import SandboxServer
from tests.test_cli import (
    CLI,
    SANDBOX_ARGS,
    TIMEOUT,
    assert_one_error_line,
    clean_env,
    closed_port,
    decode_lines,
    run_cli,
    sandbox_env,
)

# --- help ------------------------------------------------------------------------------------


def help_text(capsys: pytest.CaptureFixture[str], *command: str) -> str:
    assert main([*command, "--help"]) == 0
    return " ".join(capsys.readouterr().out.split())  # argparse wraps lines


def test_export_help_gives_the_formats_and_the_limit_range(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = help_text(capsys, "export")
    assert "--from YYYY-MM-DD first day of the range, e.g. 2025-08-01" in text
    assert "--to YYYY-MM-DD last day of the range, e.g. 2025-08-31 (included)" in text
    assert "receipts per page, 1-200 (default 200" in text


@pytest.mark.parametrize("command", ["get", "close"])
def test_the_id_has_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    text = help_text(capsys, command)
    assert "ID the " in text
    assert "receipt's id, e.g. 42" in text


def test_close_help_gives_the_closed_at_format(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_text(capsys, "close")
    assert "--closed-at 'YYYY-MM-DD HH:mm:ss'" in text
    assert "e.g. '2025-08-31 21:00:00'" in text


@pytest.mark.parametrize("receipt_id", ["0", "-3", "x"])
async def test_a_bad_id_is_a_usage_error_naming_it(receipt_id: str) -> None:
    run = await run_cli("get", "--sandbox", "--", receipt_id)
    assert_one_error_line(run, 2, f"argument ID: '{receipt_id}'", "an integer >= 1")


# --- get and close ---------------------------------------------------------------------------


async def test_get_with_include_before_the_id() -> None:
    run = await run_cli("get", *SANDBOX_ARGS, "--include", "receipt_products", "5")
    assert run.code == 0, run.stderr
    (receipt,) = decode_lines(run.stdout.replace(b"\n", b"") + b"\n")
    assert receipt.id == 5
    assert receipt.receipt_products


async def test_a_close_conflict_names_the_payments_in_user_words() -> None:
    async with SandboxServer(receipts=40, seed=2) as sandbox:
        receipt_id = sandbox.receipt_ids(status=1)[0]
        total = sandbox.receipt(receipt_id)["total"]
        sandbox.close_directly(receipt_id, [{"id": 1, "name": "Card", "amount": total}])
        run = await run_cli(
            "close", str(receipt_id), "--payment", f"2:Cash:{total}", env=sandbox_env(sandbox)
        )
    assert_one_error_line(
        run,
        1,
        f"receipt {receipt_id} was closed by someone else: "
        f"paid 2 Cash {total} ≠ closed with 1 Card {total}",
    )
    assert "PaymentMethod(" not in run.stderr


# --- failures before any data ----------------------------------------------------------------


async def test_a_connection_error_names_the_host() -> None:
    port = closed_port()
    async with SandboxServer(receipts=10, seed=1) as sandbox:
        env = sandbox_env(sandbox)
    env["CLOPOS_BASE_URL"] = f"http://127.0.0.1:{port}/open-api/v2"
    for command in (("export", "--from", "2025-08-01", "--to", "2025-08-02"), ("get", "5")):
        run = await run_cli(*command, "--max-attempts", "1", env=env)
        assert_one_error_line(run, 1, f"cannot reach 127.0.0.1:{port}: could not connect")


async def test_bad_credentials_give_no_resume_hint() -> None:
    async with SandboxServer(receipts=10, seed=1) as sandbox:
        env = sandbox_env(sandbox)
        env["CLOPOS_CLIENT_SECRET"] = "not-the-secret"
        run = await run_cli("export", "--from", "2025-08-01", "--to", "2025-08-02", env=env)
    assert_one_error_line(run, 1, "401", "wrote 0 receipts")
    assert "resume" not in run.stderr
    assert "next page" not in run.stderr


# --- odd progress counts ---------------------------------------------------------------------


async def test_an_empty_range_shows_page_1_of_1() -> None:
    run = await run_cli("export", *SANDBOX_ARGS, "--from", "2030-01-01", "--to", "2030-01-02")
    assert run.code == 0, run.stderr
    assert run.stdout == b""
    assert run.stderr_lines[0].startswith("page 1/1 | 0 receipts | ")


async def test_a_resume_past_the_last_page_never_shows_more_pages_done_than_exist() -> None:
    run = await run_cli(
        "export", *SANDBOX_ARGS, "--from", "2025-08-01", "--to", "2025-08-31", "--limit", "50",
        "--page", "99",
    )  # fmt: skip
    assert run.code == 0, run.stderr
    assert run.stderr_lines[0].startswith("page 99/99 | 0 receipts | ")


def test_progress_never_shows_a_page_past_the_count() -> None:
    stats = ClientStats()
    line = describe(Snapshot(page=7, page_count=5, receipts=70, stats=stats), 1.0)
    assert line.startswith("page 7/7 | 70 receipts | ")


# --- broken pipe -----------------------------------------------------------------------------


def test_a_reader_that_goes_away_ends_the_export_quietly_with_0() -> None:
    process = subprocess.Popen(
        [*CLI, "export", *SANDBOX_ARGS, "--from", "2025-08-01", "--to", "2025-08-31",
         "--limit", "5", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env(),
    )  # fmt: skip
    assert process.stdout is not None
    assert process.stderr is not None
    first = process.stdout.readline()  # what `| head -1` reads, then it exits
    process.stdout.close()
    assert process.wait(TIMEOUT) == 0
    assert process.stderr.read() == b""
    process.stderr.close()
    assert first.startswith(b'{"id":')


# --- CSV money -------------------------------------------------------------------------------


def test_csv_sums_and_sent_amounts_share_one_format() -> None:
    receipt = Receipt(
        id=1,
        total=Decimal("47.8"),
        payment_methods=(
            PaymentMethod(id=1, name="Cash", amount=Decimal("8.14")),
            PaymentMethod(id=2, name="Card", amount=Decimal("39.66")),
        ),
    )
    row = dict(zip(CSV_COLUMNS, flatten(receipt), strict=True))
    assert (row["total"], row["payments_total"]) == ("47.8", "47.8")
    assert row["payment_methods"] == "1:Cash:8.14;2:Card:39.66"


# --- progress while the client waits for the rate budget --------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def waiting_stats(clock: Clock, *, since: float, waiters: int = 3) -> ClientStats:
    return ClientStats(
        rate_limit_waits=4,
        rate_limit_wait_seconds=240.0,  # four concurrent waits of 60 s, summed
        rate_limit_wait_wall_seconds=60.0,
        pacing_waiters=waiters,
        pacing_since=since,
    )


def test_progress_reports_wall_clock_pacing_not_summed_waits() -> None:
    clock = Clock()
    stats = waiting_stats(clock, since=clock.now - 2.0)
    line = describe(Snapshot(page=3, page_count=25, receipts=600, stats=stats), 2.0, now=clock.now)
    assert "paced 4 (62.0s)" in line  # 60 s ended + 2 s under way, not 240 s
    assert line.endswith(" | waiting for the rate budget: 2s")


def test_progress_on_a_tty_keeps_moving_while_waiting_for_the_budget() -> None:
    clock, stream = Clock(), Terminal()
    progress = Progress(stream, tty=True, clock=clock)
    stats = ClientStats()
    progress.update(Snapshot(page=1, page_count=25, receipts=200, stats=stats))
    progress.tick(stats)  # nothing waits: the line stays as it is
    assert stream.getvalue().count("\r") == 1

    stats.pacing_waiters, stats.pacing_since = 2, clock.now
    for _ in range(3):
        clock.now += 1.0
        progress.tick(stats)
    draws = stream.getvalue().split("\r")[1:]
    assert [d.split(" | waiting for the rate budget: ")[-1][:2] for d in draws[1:]] == [
        "1s",
        "2s",
        "3s",
    ]
    assert all(d.startswith("page 1/25 | 200 receipts | ") for d in draws)

    stats.pacing_waiters, stats.pacing_since = 0, None  # the wait ended
    stats.rate_limit_wait_wall_seconds = 3.0
    progress.tick(stats)  # one redraw clears the "waiting" part
    progress.tick(stats)  # and no more while nothing waits
    draws = stream.getvalue().split("\r")[1:]
    assert len(draws) == 5
    assert "waiting" not in draws[-1]
    assert "paced 0 (3.0s)" in draws[-1]


def test_progress_off_a_tty_writes_a_waiting_line_now_and_then() -> None:
    clock, stream = Clock(), io.StringIO()
    progress = Progress(stream, tty=False, clock=clock)
    stats = ClientStats(pacing_waiters=1, pacing_since=clock.now)
    for _ in range(int(WAIT_LINE_INTERVAL) * 2 + 1):  # one tick a second for 21 s
        clock.now += 1.0
        progress.tick(stats)
    lines = stream.getvalue().splitlines()
    assert [line.rsplit(": ", 1)[-1] for line in lines] == ["1s", "11s", "21s"]
    assert all(line.startswith("page -/? | 0 receipts | ") for line in lines)


# --- the client's pacing state, as the progress display reads it ------------------------------


class GatedClock:
    """A client clock whose sleeps wait for the test to open the gate, then pass at once."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.gate = asyncio.Event()

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        await self.gate.wait()
        self.now += seconds
        await asyncio.sleep(0)


async def test_stats_show_who_waits_since_when_and_wall_clock_time() -> None:
    clock = GatedClock()
    async with SandboxServer(receipts=20, seed=1) as sandbox:
        client = sandbox.client(clock=clock, rate_limit=RateLimit(requests=2, window=60.0))
        async with client as clopos:
            await clopos.authenticate()
            calls = [asyncio.create_task(clopos.receipts.get(i)) for i in range(1, 6)]
            for _ in range(50):  # let every call reach the limiter
                await asyncio.sleep(0)
            stats = clopos.stats
            assert (stats.pacing_waiters, stats.pacing_since) == (3, 1_000.0)
            started = await wait_for_requests(sandbox, 2)

            clock.gate.set()  # from now on, sleeps pass in no time: the clock jumps
            got: list[Any] = await asyncio.gather(*calls)

    assert [r.id for r in got] == [1, 2, 3, 4, 5]
    assert started == 2
    assert (stats.pacing_waiters, stats.pacing_since) == (0, None)
    assert stats.rate_limit_waits == 3
    # Someone waited from the first wait's start to the last slot: that span, once.
    assert stats.rate_limit_wait_wall_seconds == clock.now - 1_000.0 > 0


async def wait_for_requests(sandbox: SandboxServer, count: int) -> int:
    for _ in range(200):
        done = len(sandbox.requests("GET", "/receipts/*"))
        if done >= count:
            return done
        await asyncio.sleep(0.01)
    return len(sandbox.requests("GET", "/receipts/*"))

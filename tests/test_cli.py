"""The ``clopos-async`` command line.

End-to-end tests run the CLI as a subprocess (``python -m clopos_async.cli``)
against an embedded sandbox (``--sandbox``) or a SandboxServer started here
(``CLOPOS_*`` pointing at it); unit tests cover the writers, the progress
reporter and argument parsing directly.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import os
import pty
import re
import select
import shlex
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest

from clopos_async import (
    ClientStats,
    PaymentMethod,
    RateLimitInfo,
    Receipt,
    ReceiptOrderStatus,
    ReceiptStatus,
    __version__,
    converter,
)
from clopos_async.cli import main
from clopos_async.cli._args import parse_args
from clopos_async.cli._failures import UsageError
from clopos_async.cli._progress import Progress, Snapshot, describe
from clopos_async.cli._writers import CSV_COLUMNS, CsvWriter, JsonlWriter, cell, flatten
from clopos_async.testing import SandboxServer

SAMPLES = Path(__file__).parent / "samples"
CLI = (sys.executable, "-m", "clopos_async.cli")
TIMEOUT = 60.0

# A small embedded dataset keeps every subprocess quick.
SEED = 3
RECEIPTS = 240
SANDBOX_ARGS = ("--sandbox", "--sandbox-receipts", str(RECEIPTS), "--sandbox-seed", str(SEED))
DAY_FROM, DAY_TO = date(2025, 8, 5), date(2025, 8, 14)
RANGE_ARGS = ("--from", DAY_FROM.isoformat(), "--to", DAY_TO.isoformat())


# --- helpers -------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Run:
    code: int
    stdout: bytes
    stderr: str

    @property
    def stderr_lines(self) -> list[str]:
        return self.stderr.splitlines()


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment without CLOPOS_* (a developer's shell must not leak in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOPOS_")}
    env.update(extra or {})
    return env


def sandbox_env(sandbox: SandboxServer) -> dict[str, str]:
    credentials = sandbox.credentials
    return clean_env(
        {
            "CLOPOS_BASE_URL": sandbox.base_url,
            "CLOPOS_CLIENT_ID": credentials.client_id,
            "CLOPOS_CLIENT_SECRET": credentials.client_secret,
            "CLOPOS_BRAND": credentials.brand,
            "CLOPOS_INTEGRATOR_ID": credentials.integrator_id,
        }
    )


async def run_cli(*args: str, env: Mapping[str, str] | None = None) -> Run:
    """Run the CLI in a subprocess without blocking this loop (an in-test sandbox serves)."""
    process = await asyncio.create_subprocess_exec(
        *CLI,
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=dict(env) if env is not None else clean_env(),
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), TIMEOUT)
    assert process.returncode is not None
    return Run(code=process.returncode, stdout=stdout, stderr=stderr.decode())


def assert_one_error_line(run: Run, code: int, *fragments: str) -> None:
    assert run.code == code, run.stderr
    assert len(run.stderr_lines) == 1, run.stderr
    (line,) = run.stderr_lines
    assert line.startswith("clopos-async: error: "), line
    for fragment in fragments:
        assert fragment in line, line


def decode_lines(data: bytes) -> list[Receipt]:
    return [converter.structure(orjson.loads(line), Receipt) for line in data.splitlines()]


async def expected_ids(date_from: date = DAY_FROM, date_to: date = DAY_TO) -> list[int]:
    """What the embedded sandbox holds for the range: the same seed and size, started here."""
    async with SandboxServer(receipts=RECEIPTS, seed=SEED) as twin:
        return twin.receipt_ids(date_from=date_from, date_to=date_to)


def exported_ids(out: Path, output_format: str) -> list[int]:
    """The receipt ids in an export file, in file order; a CSV must hold one header, first."""
    if output_format == "jsonl":
        return [receipt.id for receipt in decode_lines(out.read_bytes())]
    with out.open(newline="", encoding="utf-8") as stream:
        header, *rows = list(csv.reader(stream))
    assert tuple(header) == CSV_COLUMNS
    assert [row for row in rows if tuple(row) == CSV_COLUMNS] == []  # no second header
    return [int(row[0]) for row in rows]


def closed_port() -> int:
    """A loopback port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def sample_receipt(name: str) -> tuple[dict[str, Any], Receipt]:
    wire = orjson.loads((SAMPLES / name).read_bytes())["data"]
    return wire, converter.structure(wire, Receipt)


def sample_page() -> tuple[list[dict[str, Any]], list[Receipt]]:
    wire = orjson.loads((SAMPLES / "receipt_list_page.json").read_bytes())["data"]
    return wire, [converter.structure(item, Receipt) for item in wire]


# --- export, end to end ----------------------------------------------------------------------


async def test_export_jsonl_holds_every_receipt_of_the_range(tmp_path: Path) -> None:
    out = tmp_path / "receipts.jsonl"
    ids = await expected_ids()

    run = await run_cli("export", *RANGE_ARGS, *SANDBOX_ARGS, "--limit", "20", "--out", str(out))

    assert run.code == 0, run.stderr
    receipts = decode_lines(out.read_bytes())
    assert len(receipts) == len(ids)
    assert sorted(r.id for r in receipts) == ids
    created = [r.created_at for r in receipts]
    assert created == sorted(created, key=lambda moment: moment or datetime.min)  # oldest first
    assert all(DAY_FROM <= (r.created_at or datetime.min).date() <= DAY_TO for r in receipts)


async def test_export_jsonl_lines_are_the_exact_wire_shape(tmp_path: Path) -> None:
    out = tmp_path / "receipts.jsonl"
    run = await run_cli("export", *RANGE_ARGS, *SANDBOX_ARGS, "--out", str(out))
    assert run.code == 0, run.stderr

    async with SandboxServer(receipts=RECEIPTS, seed=SEED) as twin:
        for line in out.read_bytes().splitlines():
            wire = orjson.loads(line)
            assert wire == twin.receipt(wire["id"])
            assert converter.unstructure(converter.structure(wire, Receipt)) == wire


async def test_export_to_stdout_with_included_products() -> None:
    ids = await expected_ids(DAY_FROM, DAY_FROM)

    run = await run_cli(
        "export", "--from", DAY_FROM.isoformat(), "--to", DAY_FROM.isoformat(), *SANDBOX_ARGS,
        "--include", "receipt_products,receipt_products.modificators",
    )  # fmt: skip

    assert run.code == 0, run.stderr
    receipts = decode_lines(run.stdout)
    assert sorted(r.id for r in receipts) == ids
    assert all(r.receipt_products for r in receipts)


async def test_export_csv_has_a_header_and_one_row_per_receipt(tmp_path: Path) -> None:
    out = tmp_path / "receipts.csv"
    ids = await expected_ids()

    run = await run_cli("export", *RANGE_ARGS, *SANDBOX_ARGS, "--format", "csv", "--out", str(out))

    assert run.code == 0, run.stderr
    with out.open(newline="", encoding="utf-8") as stream:
        header, *rows = list(csv.reader(stream))
    assert tuple(header) == CSV_COLUMNS
    assert sorted(int(row[0]) for row in rows) == ids
    async with SandboxServer(receipts=RECEIPTS, seed=SEED) as twin:
        for row in rows:
            record = dict(zip(header, row, strict=True))
            wire = twin.receipt(int(record["id"]))
            # repr of the JSON number is the exact text the API sent: 8140, 8.14, 30.0
            assert record["total"] == repr(wire["total"])
            assert record["created_at"] == wire["created_at"]
            assert record["payment_methods"] == ";".join(
                f"{p['id']}:{p['name']}:{p['amount']!r}" for p in wire["payment_methods"]
            )


async def test_export_progress_off_a_tty_is_plain_lines(tmp_path: Path) -> None:
    run = await run_cli(
        "export", *RANGE_ARGS, *SANDBOX_ARGS, "--limit", "5", "--out", str(tmp_path / "x.jsonl")
    )

    assert run.code == 0, run.stderr
    assert "\r" not in run.stderr
    progress = [line for line in run.stderr_lines if line.startswith("page ")]
    assert progress, run.stderr
    pages = -(-len(await expected_ids()) // 5)
    assert progress[-1].startswith(f"page {pages}/{pages} | ")
    assert "receipts/s" in progress[-1]
    assert "429s 0" in progress[-1]
    assert re.search(r" \| budget \d+/\d+ \| 429s 0,", progress[-1]), progress[-1]
    assert run.stderr_lines[-1].startswith("clopos-async: exported ")


def test_export_progress_on_a_terminal_is_one_redrawn_line(tmp_path: Path) -> None:
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [*CLI, "export", *RANGE_ARGS, *SANDBOX_ARGS, "--limit", "5", "--sandbox-latency", "0.01",
         "--out", str(tmp_path / "x.jsonl")],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=secondary, env=clean_env(),
    )  # fmt: skip
    os.close(secondary)
    text = read_terminal(primary).decode()
    assert process.wait(TIMEOUT) == 0, text

    # The terminal turns each "\n" into "\r\n": the bare "\r"s are the redraws.
    draws = re.findall(r"\rpage (\d+)/(\d+) \| ", text)
    pages = -(-len(asyncio.run(expected_ids())) // 5)
    assert draws
    assert draws[-1] == (str(pages), str(pages))
    assert [int(page) for page, _ in draws] == sorted(int(page) for page, _ in draws)
    assert text.count("\n") == 2  # the end of the redrawn line, then the summary
    assert text.splitlines()[-1].startswith("clopos-async: exported ")


def read_terminal(fd: int) -> bytes:
    """Everything written to a pty until its last writer closes it."""
    chunks = []
    try:
        while select.select([fd], [], [], TIMEOUT)[0]:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    except OSError:  # EIO: the child closed the terminal
        pass
    finally:
        os.close(fd)
    return b"".join(chunks)


async def test_export_quiet_prints_nothing_on_stderr(tmp_path: Path) -> None:
    run = await run_cli(
        "export", *RANGE_ARGS, *SANDBOX_ARGS, "--quiet", "--out", str(tmp_path / "x.jsonl")
    )
    assert run.code == 0
    assert run.stderr == ""


# --- usage errors: exit 2, one line -----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--from", "2025-02-30", "--to", "2025-03-01"), "--from"),
        (("--from", "2025-08-01", "--to", "tomorrow"), "--to"),
        (("--from", "2025-08-10", "--to", "2025-08-01"), "after --to"),
        (("--from", "2025-08-01", "--to", "2025-08-02", "--format", "xml"), "--format"),
        (("--from", "2025-08-01", "--to", "2025-08-02", "--limit", "0"), "--limit"),
    ],
)
async def test_export_usage_errors_exit_2_with_one_line(
    args: tuple[str, ...], fragment: str
) -> None:
    run = await run_cli("export", *args, "--sandbox")
    assert_one_error_line(run, 2, fragment)
    assert run.stdout == b""


async def test_export_limit_beyond_the_api_maximum_is_refused_naming_the_option() -> None:
    run = await run_cli("export", *RANGE_ARGS, *SANDBOX_ARGS, "--limit", "500")
    assert_one_error_line(run, 2, "argument --limit: '500'", "an integer from 1 to 200")


async def test_missing_credentials_exit_2_naming_the_variables() -> None:
    run = await run_cli("export", *RANGE_ARGS)
    assert_one_error_line(run, 2, "CLOPOS_CLIENT_ID", "CLOPOS_TOKEN")


@pytest.mark.parametrize("page", ["1", "3"])  # a fresh export truncates, a resume appends
async def test_an_output_that_cannot_be_opened_exits_2(tmp_path: Path, page: str) -> None:
    run = await run_cli(
        "export", *RANGE_ARGS, *SANDBOX_ARGS, "--page", page, "--out", "/nonexistent/dir/x.jsonl"
    )
    assert_one_error_line(run, 2, "cannot open --out /nonexistent/dir/x.jsonl")

    a_directory = await run_cli("export", *RANGE_ARGS, *SANDBOX_ARGS, "--out", str(tmp_path))
    assert_one_error_line(a_directory, 2, f"cannot open --out {tmp_path}")


async def test_a_write_failing_after_the_output_opened_exits_1() -> None:
    # /dev/full opens like any file, then every write fails with ENOSPC.
    run = await run_cli("export", *RANGE_ARGS, *SANDBOX_ARGS, "--quiet", "--out", "/dev/full")
    assert_one_error_line(
        run, 1, "cannot write /dev/full: No space left on device", "wrote 0 receipts"
    )


# --- API failures: exit 1, one line -----------------------------------------------------------


async def test_get_unknown_receipt_exits_1() -> None:
    run = await run_cli("get", "999999", *SANDBOX_ARGS)
    assert_one_error_line(run, 1, "404", "not_found")
    assert run.stdout == b""


async def test_export_exits_1_when_a_fault_exhausts_the_retries(tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    async with SandboxServer(receipts=30, seed=1) as sandbox:
        fault = sandbox.fault("/receipts", status=503)
        run = await run_cli(
            "export", *RANGE_ARGS, "--max-attempts", "2", "--out", str(out),
            env=sandbox_env(sandbox),
        )  # fmt: skip
        assert fault.hits == 2  # the first try and one retry, then the error
    assert_one_error_line(run, 1, "503", "wrote 0 receipts")
    assert "resume" not in run.stderr  # nothing was written: nothing to resume
    assert not out.exists()  # nothing arrived: nothing was created


@pytest.mark.parametrize("output_format", ["jsonl", "csv"])
@pytest.mark.parametrize("page", ["1", "2"])
@pytest.mark.parametrize("failure", ["bad credentials", "network down", "server error"])
async def test_a_run_failing_before_any_data_leaves_an_existing_file_unchanged(
    tmp_path: Path, output_format: str, page: str, failure: str
) -> None:
    out = tmp_path / f"receipts.{output_format}"
    earlier = b"an earlier export, kept\n"
    out.write_bytes(earlier)
    async with SandboxServer(receipts=30, seed=1) as sandbox:
        env = sandbox_env(sandbox)
        if failure == "bad credentials":
            env["CLOPOS_CLIENT_SECRET"] = "not-the-secret"
        elif failure == "network down":
            env["CLOPOS_BASE_URL"] = f"http://127.0.0.1:{closed_port()}"
        else:
            sandbox.fault("/receipts", status=503)
        run = await run_cli(
            "export", *RANGE_ARGS, "--format", output_format, "--page", page,
            "--max-attempts", "1", "--out", str(out), env=env,
        )  # fmt: skip
    assert out.read_bytes() == earlier
    assert_one_error_line(run, 1, "wrote 0 receipts")
    if page == "1":  # nothing to resume: the same command, run again, is the way on
        assert "resume" not in run.stderr
        assert "next page" not in run.stderr
    else:  # pages 1 and on were written by an earlier run: still resume from here
        assert f"resume with --page {page} --limit 200" in run.stderr


async def test_verbose_shows_the_retries_before_the_error(tmp_path: Path) -> None:
    async with SandboxServer(receipts=30, seed=1) as sandbox:
        sandbox.fault("/receipts", status=503)
        run = await run_cli(
            "-v", "export", *RANGE_ARGS, "--max-attempts", "2", "--out", str(tmp_path / "x"),
            env=sandbox_env(sandbox),
        )  # fmt: skip
    assert run.code == 1
    retry, error = run.stderr_lines
    assert retry.startswith("clopos-async: WARNING: retrying in ")
    assert "503" in retry
    assert error.startswith("clopos-async: error: 503")


async def test_export_against_the_environment_without_faults(tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    async with SandboxServer(receipts=60, seed=2) as sandbox:
        run = await run_cli("export", *RANGE_ARGS, "--out", str(out), env=sandbox_env(sandbox))
        expected = sandbox.receipt_ids(date_from=DAY_FROM, date_to=DAY_TO)
    assert run.code == 0, run.stderr
    assert sorted(r.id for r in decode_lines(out.read_bytes())) == expected


# --- get and close ----------------------------------------------------------------------------


async def test_get_prints_the_receipt_in_wire_shape() -> None:
    async with SandboxServer(receipts=RECEIPTS, seed=SEED) as twin:
        receipt_id = twin.receipt_ids()[10]
        run = await run_cli("get", str(receipt_id), *SANDBOX_ARGS)
        assert run.code == 0, run.stderr
        assert orjson.loads(run.stdout) == twin.receipt(receipt_id)


async def test_close_closes_an_open_receipt_and_prints_the_result() -> None:
    async with SandboxServer(receipts=RECEIPTS, seed=SEED) as twin:
        receipt_id = twin.receipt_ids(status=1)[0]
        total = twin.receipt(receipt_id)["total"]
    payment = f"1:Cash:{total!r}"

    run = await run_cli(
        "close", str(receipt_id), "--payment", payment, "--closed-at", "2025-12-31 23:00:00",
        *SANDBOX_ARGS,
    )  # fmt: skip

    assert run.code == 0, run.stderr
    closed = orjson.loads(run.stdout)
    assert closed["id"] == receipt_id
    assert closed["closed_at"] == "2025-12-31 23:00:00"
    assert closed["payment_methods"] == [{"id": 1, "name": "Cash", "amount": total}]


async def test_close_split_payments_against_the_environment() -> None:
    async with SandboxServer(receipts=60, seed=2) as sandbox:
        receipt_id = sandbox.receipt_ids(status=1)[0]
        total = Decimal(repr(sandbox.receipt(receipt_id)["total"]))
        cash = total // 2
        run = await run_cli(
            "close", str(receipt_id),
            "--payment", f"1:Cash:{cash}", "--payment", f"2:Card:{total - cash}",
            env=sandbox_env(sandbox),
        )  # fmt: skip
        assert run.code == 0, run.stderr
        assert sandbox.receipt(receipt_id)["status"] == 2
        assert len(sandbox.closes) == 1


async def test_close_rejected_by_the_server_exits_1() -> None:
    async with SandboxServer(receipts=RECEIPTS, seed=SEED) as twin:
        receipt_id = twin.receipt_ids(status=1)[0]
    run = await run_cli("close", str(receipt_id), "--payment", "1:Cash:0.01", *SANDBOX_ARGS)
    assert_one_error_line(run, 1, "400")


@pytest.mark.parametrize("payment", ["Cash:10", "1:Cash", "x:Cash:10", "1::10", "1:Cash:ten"])
async def test_close_with_a_malformed_payment_exits_2(payment: str) -> None:
    run = await run_cli("close", "5", "--payment", payment, "--sandbox")
    assert_one_error_line(run, 2, "--payment")


@pytest.mark.parametrize("closed_at", ["31/12/2025", "2025-08-31 21:00", "2025-02-30 10:00:00"])
async def test_close_with_a_bad_closed_at_exits_2_in_user_words(closed_at: str) -> None:
    run = await run_cli(
        "close", "5", "--payment", "1:Cash:1", "--closed-at", closed_at, *SANDBOX_ARGS
    )
    assert_one_error_line(
        run, 2, f"argument --closed-at: '{closed_at}' is not a time", "'YYYY-MM-DD HH:mm:ss'"
    )
    assert "naive" not in run.stderr
    assert "None" not in run.stderr


# --- Ctrl-C -----------------------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["jsonl", "csv"])
async def test_ctrl_c_then_the_advised_resume_completes_the_same_file(
    tmp_path: Path, output_format: str
) -> None:
    out = tmp_path / f"slow.{output_format}"
    limit = 4
    command = (
        "export", *RANGE_ARGS, *SANDBOX_ARGS, "--format", output_format,
        "--concurrency", "1", "--out", str(out),
    )  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        *CLI, *command, "--sandbox-latency", "0.15", "--limit", str(limit),
        stderr=asyncio.subprocess.PIPE, env=clean_env(),
    )  # fmt: skip
    assert process.stderr is not None
    # Plain progress lines arrive one per page: interrupt after the second one.
    for _ in range(2):
        line = await asyncio.wait_for(process.stderr.readline(), TIMEOUT)
        assert line.startswith(b"page "), line
    process.send_signal(signal.SIGINT)
    after_signal = (await asyncio.wait_for(process.stderr.read(), TIMEOUT)).decode()
    code = await process.wait()

    assert code == 130
    assert "Traceback" not in after_signal
    written = exported_ids(out, output_format)  # every line complete, one CSV header
    assert out.read_bytes().endswith(b"\n")
    assert len(written) >= 2 * limit
    assert len(written) % limit == 0  # whole pages only
    next_page = len(written) // limit + 1
    final = after_signal.splitlines()[-1]
    assert final.startswith("clopos-async: interrupted: "), final
    assert f"wrote {len(written)} receipts" in final
    assert final.endswith(
        f"next page {next_page}, resume with --page {next_page} --limit {limit} "
        "(the same --out appends)"
    ), final

    # Following the advice word for word, into the same file, completes the export.
    advice = re.search(r"resume with (--page \d+ --limit \d+)", final)
    assert advice is not None
    resumed = await run_cli(*command, *shlex.split(advice.group(1)))
    assert resumed.code == 0, resumed.stderr
    everything = exported_ids(out, output_format)
    assert everything[: len(written)] == written  # the pages already written are kept
    assert sorted(everything) == await expected_ids()  # each receipt exactly once


async def test_a_resume_to_stdout_writes_no_second_csv_header() -> None:
    common = ("export", *RANGE_ARGS, *SANDBOX_ARGS, "--format", "csv", "--limit", "30")
    whole = await run_cli(*common)
    rest = await run_cli(*common, "--page", "2")
    assert whole.code == rest.code == 0, whole.stderr + rest.stderr

    header, *rows = list(csv.reader(io.StringIO(whole.stdout.decode(), newline="")))
    assert tuple(header) == CSV_COLUMNS
    assert len(rows) > 30  # there is a page 2 to resume from
    # ``>>`` after the first page gives the whole export: one header, every row once.
    assert whole.stdout.endswith(rest.stdout)
    assert list(csv.reader(io.StringIO(rest.stdout.decode(), newline=""))) == rows[30:]


async def test_a_resume_into_a_new_csv_file_still_gets_its_header(tmp_path: Path) -> None:
    common = ("export", *RANGE_ARGS, *SANDBOX_ARGS, "--format", "csv", "--limit", "30")
    whole, fresh = tmp_path / "whole.csv", tmp_path / "from_page_2.csv"
    assert (await run_cli(*common, "--out", str(whole))).code == 0
    run = await run_cli(*common, "--page", "2", "--out", str(fresh))
    assert run.code == 0, run.stderr
    assert exported_ids(fresh, "csv") == exported_ids(whole, "csv")[30:]


# --- sandbox and --version --------------------------------------------------------------------


async def test_sandbox_command_serves_until_ctrl_c() -> None:
    process = await asyncio.create_subprocess_exec(
        *CLI, "sandbox", "--port", "0", "--receipts", "25", "--seed", "4",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=clean_env(),
    )  # fmt: skip
    assert process.stdout is not None
    variables: dict[str, str] = {}
    while "CLOPOS_INTEGRATOR_ID" not in variables:
        line = (await asyncio.wait_for(process.stdout.readline(), TIMEOUT)).decode()
        assert line, "the sandbox exited before printing its variables"
        if line.startswith("export "):
            name, _, value = line.removeprefix("export ").strip().partition("=")
            variables[name] = shlex.split(value)[0]

    env = clean_env(variables)
    run = await run_cli("export", "--from", "2025-08-01", "--to", "2025-08-31", env=env)
    process.send_signal(signal.SIGINT)
    stdout, _ = await asyncio.wait_for(process.communicate(), TIMEOUT)

    assert run.code == 0, run.stderr
    assert len(decode_lines(run.stdout)) == 25
    assert process.returncode == 0
    assert b"# sandbox stopped" in stdout


async def test_version() -> None:
    run = await run_cli("--version")
    assert run.code == 0
    assert run.stdout.decode().strip() == f"clopos-async {__version__}"


def test_main_in_process_returns_the_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--from", "2025-08-02", "--to", "2025-08-01"]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("clopos-async: error: --from 2025-08-02 is after --to")


def test_main_in_process_leaves_the_sdk_logger_as_it_found_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    sdk_logger = logging.getLogger("clopos_async")
    before = (list(sdk_logger.handlers), sdk_logger.level, sdk_logger.propagate)
    assert main(["-vv", "get", "999999", *SANDBOX_ARGS]) == 1
    assert (list(sdk_logger.handlers), sdk_logger.level, sdk_logger.propagate) == before
    err = capsys.readouterr().err
    assert "clopos-async: DEBUG: GET /receipts/999999 -> 404" in err


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert capsys.readouterr().err.startswith("clopos-async: error: ")


# --- writers and flattening -------------------------------------------------------------------


def test_jsonl_lines_decode_back_to_equal_receipts() -> None:
    wire, receipts = sample_page()
    encoded = JsonlWriter().encode(receipts)
    assert JsonlWriter().header() == b""
    assert encoded.count(b"\n") == len(receipts)
    assert [orjson.loads(line) for line in encoded.splitlines()] == wire
    assert decode_lines(encoded) == receipts


def test_csv_flattens_a_receipt_with_products() -> None:
    wire, receipt = sample_receipt("receipt_with_products.json")
    row = dict(zip(CSV_COLUMNS, flatten(receipt), strict=True))

    assert row["id"] == str(wire["id"])
    assert row["status"] == str(wire["status"])
    assert row["order_status"] == wire["order_status"]
    assert row["sale_type"] == wire["meta"]["sale_type"]["name"]
    assert row["created_at"] == wire["created_at"]
    assert row["shift_date"] == wire["shift_date"]
    for money in ("total", "subtotal", "by_cash", "by_card", "total_tax", "service_charge_value"):
        assert row[money] == repr(wire[money]), money
    assert row["payment_methods"] == ";".join(
        f"{p['id']}:{p['name']}:{p['amount']!r}" for p in wire["payment_methods"]
    )
    paid = sum(Decimal(repr(p["amount"])) for p in wire["payment_methods"])
    assert Decimal(row["payments_total"]) == paid == Decimal(repr(wire["total"]))
    assert row["products_count"] == str(len(wire["receipt_products"]))
    assert row["order_number"] == ""  # null on the wire: an empty cell


def test_csv_flattens_a_minimal_receipt_to_empty_cells() -> None:
    _, receipt = sample_receipt("receipt_minimal.json")
    row = dict(zip(CSV_COLUMNS, flatten(receipt), strict=True))
    assert row["id"] == "1"
    assert row["products_count"] == ""  # not included: unknown, not zero
    assert row["payment_methods"] == ""
    assert {v for k, v in row.items() if k not in ("id", "payments_total")} == {""}


def test_csv_writer_output_parses_back_row_per_receipt() -> None:
    wire, receipts = sample_page()
    writer = CsvWriter()
    data = (writer.header() + writer.encode(receipts)).decode("utf-8")
    header, *rows = list(csv.reader(io.StringIO(data, newline="")))
    assert tuple(header) == CSV_COLUMNS
    assert [int(row[0]) for row in rows] == [item["id"] for item in wire]
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)


def test_csv_quotes_names_with_commas_and_keeps_them_whole() -> None:
    receipt = Receipt(
        id=9,
        total=Decimal("12.50"),
        payment_methods=(PaymentMethod(id=4, name='Gift card, "VIP"', amount="12.50"),),
    )
    text = CsvWriter().encode([receipt]).decode()
    (row,) = list(csv.reader(io.StringIO(text, newline="")))
    record = dict(zip(CSV_COLUMNS, row, strict=True))
    assert record["payment_methods"] == '4:Gift card, "VIP":12.5'
    assert record["total"] == "12.5"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (Decimal("8140"), "8140"),
        (Decimal("8.14"), "8.14"),
        (Decimal("30.0"), "30"),
        (Decimal("47.80"), "47.8"),
        (Decimal("0.00"), "0"),
        (Decimal("1E+3"), "1000"),
        (ReceiptStatus.CLOSED, "2"),
        (7, "7"),
        (ReceiptOrderStatus.PICKED_UP, "PICKED_UP"),
        (True, "true"),
        (datetime(2025, 8, 12, 15, 0, 5), "2025-08-12 15:00:05"),
        (date(2025, 8, 12), "2025-08-12"),
        ("a,b", "a,b"),
    ],
)
def test_cell_formats(value: object, text: str) -> None:
    assert cell(value) == text


# --- progress ---------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def snapshot(page: int, page_count: int = 40, per_page: int = 10) -> Snapshot:
    stats = ClientStats(requests=page, rate_limited=1, rate_limit_waits=2)
    return Snapshot(page=page, page_count=page_count, receipts=page * per_page, stats=stats)


def test_progress_on_a_tty_redraws_one_line_at_most_ten_times_a_second() -> None:
    clock, stream = FakeClock(), Terminal()
    progress = Progress(stream, tty=True, clock=clock)
    for page in range(1, 11):  # ten pages within the same instant: one draw
        progress.update(snapshot(page))
    clock.now += 0.125  # past the 0.1 s interval
    progress.update(snapshot(11))
    progress.update(snapshot(12))  # throttled away ...
    progress.finish()  # ... but the final state is always shown

    text = stream.getvalue()
    draws = text.split("\r")[1:]
    assert [draw.split(" | ")[0] for draw in draws] == ["page 1/40", "page 11/40", "page 12/40"]
    assert text.count("\n") == 1
    assert text.endswith("\n")
    assert draws[-1].startswith("page 12/40 | 120 receipts | ")
    assert "| 429s 1, paced 2 (0.0s), retries 0" in draws[-1]


def test_progress_off_a_tty_logs_about_twenty_plain_lines() -> None:
    clock, stream = FakeClock(), io.StringIO()
    progress = Progress(stream, tty=False, clock=clock)
    for page in range(1, 42):
        clock.now += 0.05
        progress.update(snapshot(page, page_count=41))
    progress.finish()

    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert len(lines) == 41 // 3 + 1  # every 3rd page (ceil(41 / 20) = 3), then the last one
    assert lines[0].startswith("page 3/41 | 30 receipts | ")
    assert lines[-1].startswith("page 41/41 | 410 receipts | ")


def test_progress_rate_is_receipts_per_second() -> None:
    clock = FakeClock()
    stream = io.StringIO()
    progress = Progress(stream, tty=False, clock=clock)
    clock.now += 2.0
    progress.update(snapshot(1, page_count=1, per_page=50))
    assert "| 25.0 receipts/s |" in stream.getvalue()


def test_progress_shows_the_rate_limit_budget_the_server_last_reported() -> None:
    stats = ClientStats(rate_limited=1, rate_limit_waits=2, retries=3)
    stats.rate_limit = RateLimitInfo(limit=300, remaining=287, reset=12.0)
    line = describe(Snapshot(page=3, page_count=25, receipts=600, stats=stats), 2.0)
    assert line == (
        "page 3/25 | 600 receipts | 300.0 receipts/s | budget 287/300 | "
        "429s 1, paced 2 (0.0s), retries 3"
    )


def test_progress_leaves_the_budget_out_until_the_server_reports_one() -> None:
    stats = ClientStats(rate_limited=1, rate_limit_waits=2, retries=3)
    line = describe(Snapshot(page=3, page_count=25, receipts=600, stats=stats), 2.0)
    assert "budget" not in line
    assert line.endswith("| 300.0 receipts/s | 429s 1, paced 2 (0.0s), retries 3")


def test_quiet_progress_writes_nothing() -> None:
    progress = Progress(None, tty=True, clock=FakeClock())
    progress.update(snapshot(1))
    progress.finish()  # no stream: nothing to write to, nothing raised


# --- argument parsing -------------------------------------------------------------------------


def test_export_defaults_spend_the_rate_budget_well() -> None:
    args = parse_args(["export", *RANGE_ARGS])
    assert (args.limit, args.concurrency, args.format, args.out) == (200, 4, "jsonl", "-")
    assert (args.date_from, args.date_to) == (DAY_FROM, DAY_TO)
    assert args.sandbox_receipts == 5000
    assert not args.sandbox


def test_includes_accumulate() -> None:
    args = parse_args(["get", "5", "--include", "receipt_products", "--include", "a,b"])
    assert args.include == ["receipt_products", "a", "b"]


def test_an_include_before_the_id_leaves_the_id_alone() -> None:
    args = parse_args(["get", "--sandbox", "--include", "receipt_products", "5"])
    assert (args.id, args.include) == (5, ["receipt_products"])


def test_payments_keep_colons_in_names_and_exact_amounts() -> None:
    args = parse_args(["close", "5", "--payment", "7:Card: Visa:8140", "--payment", "1:Cash:8.14"])
    assert args.payments == [
        PaymentMethod(id=7, name="Card: Visa", amount=Decimal("8140")),
        PaymentMethod(id=1, name="Cash", amount=Decimal("8.14")),
    ]
    assert [p.amount.as_tuple().exponent for p in args.payments] == [0, -2]


def test_a_range_ending_before_it_starts_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--from 2025-08-02 is after --to 2025-08-01"):
        parse_args(["export", "--from", "2025-08-02", "--to", "2025-08-01"])

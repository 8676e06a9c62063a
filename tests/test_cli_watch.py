"""``clopos-async watch``: JSON lines of changes, and a checkpoint saved on Ctrl-C."""

from __future__ import annotations

import asyncio
import signal
from datetime import datetime, timedelta
from pathlib import Path

import orjson
import pytest

from clopos_async import Receipt, converter
from clopos_async.testing import SandboxServer
from tests.test_cli import CLI, TIMEOUT, assert_one_error_line, clean_env, run_cli, sandbox_env

NOW = datetime(2026, 5, 1, 9, 0, 0)


async def follow(args: list[str], env: dict[str, str], lines: int) -> tuple[list[bytes], str, int]:
    """Start ``watch``, read ``lines`` events, then Ctrl-C it; (events, stderr, exit code).

    Events printed between the last read and the Ctrl-C are returned too.
    """
    process = await asyncio.create_subprocess_exec(
        *CLI, "watch", "receipts", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    assert process.stderr is not None
    events = [await asyncio.wait_for(process.stdout.readline(), TIMEOUT) for _ in range(lines)]
    process.send_signal(signal.SIGINT)
    rest, stderr = await asyncio.wait_for(process.communicate(), TIMEOUT)
    assert process.returncode is not None
    return events + rest.splitlines(keepends=True), stderr.decode(), process.returncode


async def test_watch_prints_each_change_once_and_saves_the_checkpoint_on_ctrl_c(
    tmp_path: Path,
) -> None:
    checkpoint = tmp_path / "receipts.checkpoint"
    async with SandboxServer(receipts=60, seed=2) as sandbox:
        sandbox.touch(11, at=NOW)
        sandbox.touch(12, at=NOW + timedelta(seconds=1))
        sandbox.touch(13, at=NOW - timedelta(seconds=5))  # before --since: not printed
        first = orjson.dumps({"v": 1, "f": NOW.isoformat()}).decode()  # "since NOW"
        args = ["--since", first, "--interval", "0.05", "--checkpoint-file", str(checkpoint)]
        events, stderr, code = await follow(args, sandbox_env(sandbox), lines=2)
        receipts = [converter.structure(orjson.loads(line), Receipt) for line in events]
        assert [r.id for r in receipts] == [11, 12]
        saved = checkpoint.read_text(encoding="utf-8").strip()
        assert code == 130
        assert f"clopos-async: checkpoint {saved}" in stderr.splitlines()
        assert orjson.loads(saved)["e"] == [[11, 1_000_000], [12, 0]]

        sandbox.touch(14, at=NOW + timedelta(seconds=2))  # while the worker was down
        again, _, _ = await follow(
            ["--interval", "0.05", "--checkpoint-file", str(checkpoint)],
            sandbox_env(sandbox), lines=1,
        )  # fmt: skip
        assert orjson.loads(again[0])["id"] == 14  # resumed from the file: 11, 12 not repeated


async def test_watch_with_the_embedded_sandbox_shows_its_changes() -> None:
    args = ["--sandbox", "--sandbox-receipts", "30", "--interval", "0.05",
            "--sandbox-changes", "0.05"]  # fmt: skip
    events, stderr, code = await follow(args, clean_env(), lines=3)
    assert all(isinstance(orjson.loads(line)["id"], int) for line in events)
    assert code == 130
    assert any(line.startswith("clopos-async: checkpoint {") for line in stderr.splitlines())


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--interval", "0"], 2, "argument --interval"),
        (["--since", "not-a-checkpoint"], 2, "is not a checkpoint"),
    ],
)
async def test_watch_bad_arguments_exit_with_one_line(
    args: list[str], code: int, words: str
) -> None:
    run = await run_cli("watch", "receipts", "--sandbox", *args)
    assert_one_error_line(run, code, words)

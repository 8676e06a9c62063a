"""Every ```python block of README.md runs as written against the sandbox.

Each block is matched to one way of running it (``RUNNERS``): a program runs in a
subprocess with the ``CLOPOS_*`` variables pointing at a SandboxServer started
here (what ``clopos-async sandbox`` prints); a recipe that only defines things is
run with a few lines that use what it defined; the pytest example runs under
pytest in a project without this repository's ``asyncio_mode = "auto"``.
"""

from __future__ import annotations

import asyncio
import re
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from clopos_async.testing import SandboxServer
from tests.test_cli import clean_env, sandbox_env

README = Path(__file__).resolve().parent.parent / "README.md"
TIMEOUT = 120.0

BLOCKS = re.findall(r"^```python\n(.*?)^```$", README.read_text(encoding="utf-8"), re.M | re.S)

#: Blocks that need a framework this package does not depend on: compiled, not run.
#: The Redis worker needs a redis-server on localhost:6379; tests/test_redis_fleet.py runs
#: the same worker against a real one.
NEEDS_A_FRAMEWORK = {"FastAPI": "fastapi", "worker.py — run it as many times": "redis-server"}

WEB_APP_DRIVER = """
import asyncio
from aiohttp.test_utils import TestClient, TestServer

async def drive() -> None:
    async with TestClient(TestServer(app)) as http:
        response = await http.get("/receipts/7")
        print("web", response.status, (await response.json())["id"])

asyncio.run(drive())
"""

WORKER_DRIVER = """
logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stdout)

async def drive() -> None:
    from clopos_async import ReceiptStatus
    async with CloposClient.from_env() as clopos:
        unpaid = (await clopos.receipts.list(status=ReceiptStatus.OPEN, limit=2)).items
        queue: asyncio.Queue[tuple[int, Decimal]] = asyncio.Queue()
        queue.put_nowait((unpaid[0].id, unpaid[0].total + Decimal("0.01")))  # a wrong amount
        queue.put_nowait((unpaid[1].id, unpaid[1].total))
        task = asyncio.create_task(worker(clopos, queue))
        await queue.join()
        task.cancel()
        print("closed", (await clopos.receipts.get(unpaid[1].id)).status)

asyncio.run(drive())
"""


def block(fragment: str) -> str:
    found: list[str] = [text for text in BLOCKS if fragment in text]
    assert len(found) == 1, fragment
    return found[0]


async def run_python(code: str, cwd: Path, sandbox: SandboxServer) -> str:
    """Run ``code`` as a script in ``cwd`` with ``CLOPOS_*`` set for ``sandbox``."""
    script = cwd / "snippet.py"
    script.write_text(code, encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(script), cwd=cwd, env=sandbox_env(sandbox),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), TIMEOUT)
    assert process.returncode == 0, err.decode()
    assert err == b""
    return out.decode()


#: One fragment per block, naming the block for the test that runs it.
QUICKSTART, BULK_EXPORT = "ReceiptStatus.OPEN, limit=1", 'open("receipts.jsonl"'
WATCH = "receipts.watch(since=since"
CLOSE_LOOP = "payments_for(receipt)"
EARLY_STOP = "contextlib.aclosing(aiter(pager))"
INTAKE = "async def intake"
RECONCILE = "async def reconcile"  # issue 12
RUNNERS = (
    QUICKSTART, BULK_EXPORT, "web.AppKey", "async def worker", "def test_close_survives", WATCH,
    CLOSE_LOOP, EARLY_STOP, INTAKE, RECONCILE,
)  # fmt: skip

INTAKE_DRIVER = """
import asyncio, sys
from clopos_async import CloposClient

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stdout)

async def drive() -> None:
    message = {"ref": "WEB-1042", "customer_id": 1, "name": "Aysel", "phone": "99450",
               "address": "1 Nizami St", "lines": [{"id": 3, "qty": 2, "price": "8.50"}]}
    async with CloposClient.from_env() as clopos:
        queue: asyncio.Queue[dict[str, object]] = asyncio.Queue()
        queue.put_nowait(message)
        queue.put_nowait(message)  # the shop's message, delivered twice
        task = asyncio.create_task(intake(clopos, queue))
        await queue.join()
        task.cancel()
        pending = (await clopos.orders.list(status="PENDING", limit=1)).items[0]
        print("receipt", await receipt_of(clopos, pending.id))

asyncio.run(drive())
"""


def test_every_python_block_is_run_by_one_test() -> None:
    fragments = [*RUNNERS, *NEEDS_A_FRAMEWORK]
    for text in BLOCKS:
        assert sum(fragment in text for fragment in fragments) == 1, text
    assert len(BLOCKS) == len(fragments)


@pytest.mark.parametrize("fragment", sorted(NEEDS_A_FRAMEWORK))
def test_framework_blocks_are_valid_python(fragment: str) -> None:
    compile(block(fragment), f"README[{fragment}]", "exec")


async def test_quickstart_runs_against_the_sandbox(tmp_path: Path) -> None:
    quickstart = block(QUICKSTART)
    async with SandboxServer(receipts=5000, seed=0) as sandbox:  # `clopos-async sandbox`
        out = await run_python(quickstart, tmp_path, sandbox)
        assert len(sandbox.closes) == 1
    lines = out.splitlines()
    total, count = map(int, lines[0].split())
    assert total >= count > 0
    assert re.fullmatch(r"\d+ \d+ line items", lines[-5])
    assert lines[-4:-1] == ["1", "2", "3"]
    assert re.fullmatch(r"\d+ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d", lines[-1])


async def test_bulk_export_writes_the_month(tmp_path: Path) -> None:
    export = block(BULK_EXPORT)
    async with SandboxServer(receipts=600, seed=5) as sandbox:
        expected = sandbox.receipt_ids(date_from=date(2025, 8, 1), date_to=date(2025, 8, 31))
        await run_python(export, tmp_path, sandbox)
    lines = (tmp_path / "receipts.jsonl").read_bytes().splitlines()
    assert len(lines) == len(expected) > 0


async def test_web_app_recipe_serves_a_receipt(tmp_path: Path) -> None:
    async with SandboxServer(receipts=50, seed=1) as sandbox:
        out = await run_python(block("web.AppKey") + WEB_APP_DRIVER, tmp_path, sandbox)
    assert out == "web 200 7\n"


async def test_close_worker_logs_a_wrong_amount_and_goes_on(tmp_path: Path) -> None:
    recipe = "import sys\n" + block("async def worker") + WORKER_DRIVER
    async with SandboxServer(receipts=100, seed=3) as sandbox:
        out = await run_python(recipe, tmp_path, sandbox)
        assert len(sandbox.closes) == 1  # the right amount closed; the wrong one never sent
        assert len(sandbox.requests("POST", "/receipts/*/close")) == 1
    warning, closed = out.splitlines()
    assert warning.startswith("WARNING not closing ")
    assert closed == "closed 2"


async def test_testing_example_passes_in_a_project_without_asyncio_mode(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # no asyncio_mode
    (tmp_path / "test_snippet.py").write_text(block("def test_close_survives"), encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
        cwd=tmp_path, env=clean_env(), stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), TIMEOUT)
    assert process.returncode == 0, out.decode()
    assert "1 passed" in out.decode()


async def test_the_watch_recipe_follows_two_changes_and_saves_its_checkpoint(
    tmp_path: Path,
) -> None:
    async with SandboxServer(receipts=5) as unused:  # the recipe starts its own sandbox
        out = await run_python(block(WATCH), tmp_path, unused)
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == ["7", "9"]
    assert not (tmp_path / "receipts.checkpoint").exists()  # the recipe cleans up after itself


async def test_the_close_loop_closes_every_open_receipt() -> None:
    import textwrap

    from clopos_async import PaymentMethod, Receipt

    def payments_for(receipt: Receipt) -> list[PaymentMethod]:
        assert receipt.total is not None
        return [PaymentMethod(id=1, name="Cash", amount=receipt.total)]

    source = "async def run(clopos, payments_for):\n" + textwrap.indent(block(CLOSE_LOOP), "    ")
    namespace: dict[str, Any] = {}
    exec(compile(source, "README[close loop]", "exec"), namespace)
    async with SandboxServer(receipts=400, seed=3) as sandbox, sandbox.client() as clopos:
        open_ids = sandbox.receipt_ids(status=1)
        await namespace["run"](clopos, payments_for)
        assert sorted(close.receipt_id for close in sandbox.closes) == open_ids
        assert sandbox.receipt_ids(status=1) == []


async def test_the_early_stop_recipe_leaves_no_request_running() -> None:
    import contextlib
    import textwrap

    from clopos_async import Receipt

    seen: list[int] = []

    def done(receipt: Receipt) -> bool:
        seen.append(receipt.id)
        return len(seen) == 3

    source = "async def run(pager, done):\n" + textwrap.indent(block(EARLY_STOP), "    ")
    namespace: dict[str, Any] = {"contextlib": contextlib}
    exec(compile(source, "README[early stop]", "exec"), namespace)
    async with SandboxServer(receipts=400, seed=3, latency=0.01) as sandbox, sandbox.client() as c:
        await namespace["run"](c.receipts.list(limit=20, concurrency=4), done)
        assert len(seen) == 3
        me = asyncio.current_task()
        client_side = [
            task
            for task in asyncio.all_tasks()
            if task is not me and "clopos_async/testing" not in _where(task)
            and "clopos_async" in _where(task)
        ]  # fmt: skip
        assert client_side == []


def _where(task: asyncio.Task[Any]) -> str:
    """The file a task's coroutine runs in (the SDK's or the sandbox server's)."""
    code = getattr(task.get_coro(), "cr_code", None)
    return code.co_filename if code is not None else ""


async def test_the_intake_recipe_makes_one_order_for_a_redelivered_message(
    tmp_path: Path,
) -> None:
    async with SandboxServer(receipts=5) as sandbox:
        out = await run_python(block(INTAKE) + INTAKE_DRIVER, tmp_path, sandbox)
        made = [c.id for c in sandbox.changes_to("orders", "create")]
        assert len(made) == 1
        assert len(sandbox.requests("POST", "/orders")) == 1
    assert out.splitlines() == [f"INFO order {made[0]} is PENDING"] * 2 + ["receipt None"]


RECONCILE_DRIVER = """
import asyncio
from clopos_async import CloposClient

async def drive() -> None:
    async with CloposClient.from_env() as clopos:
        await reconcile(clopos, "2025-08-12")

asyncio.run(drive())
"""


async def test_the_reconcile_recipe_sums_the_days_payments_per_method(tmp_path: Path) -> None:
    async with SandboxServer(receipts=400, seed=5) as sandbox:
        day = date(2025, 8, 12)
        ids = sandbox.receipt_ids(date_from=day, date_to=day, status=2)
        sums: dict[int, Decimal] = {}
        for receipt_id in ids:
            for payment in sandbox.receipt(receipt_id)["payment_methods"]:
                amount = Decimal(str(payment["amount"]))
                sums[payment["id"]] = sums.get(payment["id"], Decimal(0)) + amount
        out = await run_python(block(RECONCILE) + RECONCILE_DRIVER, tmp_path, sandbox)
    names = {1: "Cash", 2: "Card", 3: "Bonus"}
    lines = out.splitlines()
    assert ids
    assert lines[:-1] == [
        f"{method_id:>3} {names[method_id]:<12} {amount}"
        for method_id, amount in sorted(sums.items())
    ]
    assert lines[-1] == "every payment matches the catalogue and its receipt's total"

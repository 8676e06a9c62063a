"""``clopos-async export RESOURCE`` and ``get RESOURCE ID`` against the embedded sandbox.

In-process (``main``) to stay quick; ``test_cli.py`` runs the receipts paths as subprocesses.
"""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path
from typing import Any

import orjson
import pytest

from clopos_async import Receipt, converter
from clopos_async.cli import main
from clopos_async.cli._resources import RESOURCES
from clopos_async.testing import SandboxServer

SANDBOX = ("--sandbox", "--sandbox-receipts", "30", "--sandbox-seed", "2")
QUIET = (*SANDBOX, "-q")  # export only
LISTS = ["stations", "venues", "users", "sale_types", "payment_methods"]
#: Resources served by their own sandbox stores rather than a plain collection.
STORED = ["orders", "customers", "customer_groups", "products", "categories", "price_lists"]


async def _twin_rows(resource: str) -> list[dict[str, Any]]:
    async with SandboxServer(receipts=30, seed=2) as twin:
        return twin.rows(resource)


def test_every_api_resource_is_in_the_table() -> None:
    assert list(RESOURCES) == ["receipts", *LISTS, *STORED]


async def _twin_ids(resource: str) -> list[object]:
    async with SandboxServer(receipts=30, seed=2) as twin, twin.client() as clopos:
        return [item.id async for item in getattr(clopos, resource).list()]


@pytest.mark.parametrize("resource", STORED)
def test_export_of_each_stored_resource_is_every_item_once(
    tmp_path: Path, resource: str
) -> None:
    out, table = tmp_path / "out.jsonl", tmp_path / "out.csv"
    assert main(["export", resource, *QUIET, "--limit", "2", "--out", str(out)]) == 0
    ids = [orjson.loads(line)["id"] for line in out.read_bytes().splitlines()]
    assert ids == asyncio.run(_twin_ids(resource))
    assert main(["export", resource, *QUIET, "--format", "csv", "--out", str(table)]) == 0
    header, *rows = table.read_text(encoding="utf-8").splitlines()
    assert header.split(",") == list(RESOURCES[resource].columns)
    assert len(rows) == len(ids)


@pytest.mark.parametrize("resource", LISTS)
def test_export_jsonl_is_every_item_in_wire_shape(tmp_path: Path, resource: str) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["export", resource, *QUIET, "--limit", "2", "--out", str(out)]) == 0
    lines = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert lines == asyncio.run(_twin_rows(resource))


@pytest.mark.parametrize("resource", LISTS)
def test_export_csv_has_the_resources_columns(tmp_path: Path, resource: str) -> None:
    out = tmp_path / "out.csv"
    assert main(["export", resource, *QUIET, "--format", "csv", "--out", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert rows[0] == list(RESOURCES[resource].columns)
    wire = asyncio.run(_twin_rows(resource))
    assert [row[0] for row in rows[1:]] == [str(item["id"]) for item in wire]


def test_csv_cells_flatten_venue_maps_and_names(tmp_path: Path) -> None:
    out = tmp_path / "methods.csv"
    assert main(["export", "payment_methods", *QUIET, "--format", "csv", "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [(r["name"], r["status"]) for r in rows] == [
        ("Cash", "1:1;2:1"), ("Card", "1:1;2:1"), ("Bonus", "1:1;2:1"), ("Voucher", "1:0;2:1"),
    ]  # fmt: skip
    users = tmp_path / "users.csv"
    assert main(["export", "users", *QUIET, "--format", "csv", "--out", str(users)]) == 0
    first = next(csv.DictReader(io.StringIO(users.read_text())))
    assert (first["full_name"], first["status"]) == ("Aysel", "true")
    assert first["created_at"] == "2025-07-01 08:00:00+00:00"


def test_the_old_export_form_still_exports_receipts(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    args = ["export", *QUIET, "--from", "2025-08-01", "--to", "2025-08-31", "--out", str(out)]
    assert main(args) == 0
    explicit = tmp_path / "r2.jsonl"
    assert main([*args[:1], "receipts", *args[1:-1], str(explicit)]) == 0
    assert out.read_bytes() == explicit.read_bytes()
    assert len(out.read_bytes().splitlines()) == 30


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["export", "venues", "--from", "2025-08-01"], "do not apply to venues"),
        (["export", "users", "--include", "x"], "do not apply to users"),
        (["export", "receipts"], "requires --from and --to"),
        (["export", "nonsense"], "invalid choice"),
        (["get", "venues", "1"], "the API has no get for venues"),
        (["get", "sale_types", "1"], "get works for receipts, stations, users"),
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    assert main([*argv, *SANDBOX]) == 2
    err = capsys.readouterr().err
    assert fragment in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("resource", "item_id", "index"), [("users", "4", 3), ("stations", "2", 1)]
)
def test_get_resource_id_prints_the_wire_shape(
    capsys: pytest.CaptureFixture[str], resource: str, item_id: str, index: int
) -> None:
    assert main(["get", resource, item_id, *SANDBOX]) == 0
    assert orjson.loads(capsys.readouterr().out) == asyncio.run(_twin_rows(resource))[index]


def test_get_without_a_resource_is_a_receipt_and_a_missing_user_exits_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["get", "5", *SANDBOX]) == 0
    printed = orjson.loads(capsys.readouterr().out)
    assert printed["id"] == 5
    assert printed == converter.unstructure(converter.structure(printed, Receipt))
    assert main(["get", "users", "77", *SANDBOX]) == 1
    assert "404" in capsys.readouterr().err

"""Argument parsing for the ``clopos-async`` command: the parser and its cross-checks.

Every usage error becomes a ``UsageError`` (exit 2, one line on stderr) instead of
argparse's usage dump, so scripts see the same one-line shape for every failure.
The value types (``--from``, ``--payment``...) are in ``_types``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import NoReturn

from clopos_async import __version__
from clopos_async.cli._failures import UsageError
from clopos_async.cli._output import PROG
from clopos_async.cli._resources import RESOURCES
from clopos_async.cli._types import (
    closed_at,
    include,
    non_negative_int,
    page_size,
    payment,
    positive_int,
    positive_seconds,
    receipt_id,
    seconds,
    wire_date,
)
from clopos_async.cli._watch import FEEDS
from clopos_async.cli._writers import CSV_COLUMNS
from clopos_async.resources.receipts import MAX_LIMIT

#: The API's own maximum page size for receipts (API §8: "typically 200").
DEFAULT_LIMIT = MAX_LIMIT
DEFAULT_CONCURRENCY = 4
DEFAULT_SANDBOX_RECEIPTS = 5000
DEFAULT_SANDBOX_PORT = 8765

CSV_HELP = (
    "CSV columns, in this order: " + ", ".join(CSV_COLUMNS) + ". Amounts are exact, in "
    "one plain format without trailing zeros (47.80 is written 47.8, 30.0 as 30), "
    "timestamps as 'YYYY-MM-DD HH:mm:ss', payment_methods as "
    "'id:name:amount;...'; products_count needs --include receipt_products."
)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are exceptions, not a usage dump and an exit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


# --- the parser ----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The whole ``clopos-async`` command line."""
    parser = _Parser(
        prog=PROG,
        description="Export, read and close Clopos receipts (Open API v2). Credentials come "
        "from CLOPOS_CLIENT_ID, CLOPOS_CLIENT_SECRET, CLOPOS_BRAND, CLOPOS_INTEGRATOR_ID "
        "(or CLOPOS_TOKEN), CLOPOS_BASE_URL and CLOPOS_VENUE_ID; --sandbox needs none.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="log retries (-v) and requests (-vv)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    client = _client_options()
    _add_export(commands, client)
    _add_get(commands, client)
    _add_close(commands, client)
    _add_watch(commands, client)
    _add_sandbox(commands)
    return parser


def _client_options() -> _Parser:
    """Options every API command shares: where the receipts come from, and patience."""
    shared = _Parser(add_help=False)
    group = shared.add_argument_group("connection")
    group.add_argument(
        "--sandbox",
        action="store_true",
        help="use an embedded sandbox (synthetic data, no credentials, no network)",
    )
    _add_sandbox_shape(group)
    group.add_argument(
        "--timeout",
        type=seconds,
        default=30.0,
        metavar="SECONDS",
        help="per-attempt timeout (default %(default)s)",
    )
    group.add_argument(
        "--max-attempts",
        type=positive_int,
        default=5,
        metavar="N",
        help="attempts per request, retries included (default %(default)s)",
    )
    return shared


def _add_sandbox_shape(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "--sandbox-receipts",
        type=positive_int,
        default=DEFAULT_SANDBOX_RECEIPTS,
        metavar="N",
        help="receipts in the embedded sandbox (default %(default)s)",
    )
    group.add_argument(
        "--sandbox-seed",
        type=non_negative_int,
        default=0,
        metavar="S",
        help="seed of the embedded sandbox's data (default %(default)s)",
    )
    group.add_argument(
        "--sandbox-latency",
        type=seconds,
        default=0.0,
        metavar="SECONDS",
        help="latency the embedded sandbox adds to every response (default 0)",
    )


def _add_export(commands: argparse._SubParsersAction[_Parser], client: _Parser) -> None:
    export = commands.add_parser(
        "export",
        parents=[client],
        help="stream receipts (or another RESOURCE) to JSONL or CSV",
        description="Stream every receipt created between --from and --to (inclusive, oldest "
        "first), or every item of another RESOURCE, to JSONL (one wire-shape object per "
        "line) or CSV (per-resource columns).",
        epilog=CSV_HELP,
    )
    _add_resource(export, "what to export (default receipts)")
    _add_range(export)
    export.add_argument(
        "--format",
        choices=("jsonl", "csv"),
        default="jsonl",
        help="jsonl: one wire-shape object per line; csv: per-resource columns, receipts' below "
        "(default %(default)s)",
    )
    export.add_argument("--out", default="-", metavar="FILE", help="output file (default: stdout)")
    _add_include(export)
    _add_paging(export)
    export.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def _add_range(command: _Parser) -> None:
    """``--from`` and ``--to``: the receipts' inclusive range of days (API §8 ``date``)."""
    command.add_argument(
        "--from",
        dest="date_from",
        type=wire_date,
        metavar="YYYY-MM-DD",
        help="first day of the range, e.g. 2025-08-01 (receipts created on it are included)",
    )
    command.add_argument(
        "--to",
        dest="date_to",
        type=wire_date,
        metavar="YYYY-MM-DD",
        help="last day of the range, e.g. 2025-08-31 (included)",
    )


def _add_paging(command: _Parser) -> None:
    """``--limit``, ``--concurrency`` and ``--page``: how the pages are fetched."""
    command.add_argument(
        "--limit",
        type=page_size,
        default=None,
        metavar="N",
        help=f"receipts per page, 1-{MAX_LIMIT} (default {DEFAULT_LIMIT}: fewest requests; "
        "other resources: their API maximum)",
    )
    command.add_argument(
        "--concurrency",
        type=positive_int,
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help="pages fetched ahead (default %(default)s)",
    )
    command.add_argument(
        "--page",
        type=positive_int,
        default=1,
        metavar="N",
        help="first page, to resume an interrupted export with the --page and --limit it "
        "names; above 1, --out is appended to, without a second CSV header (default 1)",
    )


def _add_get(commands: argparse._SubParsersAction[_Parser], client: _Parser) -> None:
    get = commands.add_parser(
        "get",
        parents=[client],
        help="print one receipt (or an item of another RESOURCE) as JSON (wire shape)",
        description="Print one receipt, or one item of RESOURCE, as JSON in the API's wire shape.",
    )
    _add_resource(get, "what to get (default receipts)")
    get.add_argument(
        "id", metavar="ID", help="the receipt's id, e.g. 42 (or the id of an item of RESOURCE)"
    )
    _add_include(get)


def _add_close(commands: argparse._SubParsersAction[_Parser], client: _Parser) -> None:
    close = commands.add_parser(
        "close",
        parents=[client],
        help="close an open receipt exactly once",
        description="Close an open receipt with one or more payments; prints the result as JSON.",
    )
    close.add_argument("id", type=receipt_id, metavar="ID", help="the open receipt's id, e.g. 42")
    close.add_argument(
        "--payment",
        dest="payments",
        type=payment,
        action="append",
        required=True,
        metavar="ID:NAME:AMOUNT",
        help="a payment, e.g. 2:Card:8.14 (repeat for split payments)",
    )
    close.add_argument(
        "--closed-at",
        type=closed_at,
        metavar="'YYYY-MM-DD HH:mm:ss'",
        help="when it was paid, in venue local time, e.g. '2025-08-31 21:00:00' "
        "(default: the server's now)",
    )


def _add_watch(commands: argparse._SubParsersAction[_Parser], client: _Parser) -> None:
    watch = commands.add_parser(
        "watch",
        parents=[client],
        help="print new and changed receipts as JSON lines until Ctrl-C",
        description="Poll newest first by updated_at and print each new or changed item "
        "once, as one JSON line (wire shape). Ctrl-C saves the checkpoint to "
        "--checkpoint-file and prints it; --since or the file resumes from it.",
    )
    watch.add_argument("resource", choices=sorted(FEEDS), metavar="RESOURCE",
                       help=f"what to follow: {', '.join(sorted(FEEDS))}")  # fmt: skip
    watch.add_argument(
        "--since", metavar="CHECKPOINT", help="resume from this checkpoint (default: from now)"
    )
    watch.add_argument(
        "--interval", type=positive_seconds, default=5.0, metavar="SECONDS",
        help="seconds between polls (default %(default)s)",
    )  # fmt: skip
    watch.add_argument(
        "--checkpoint-file", metavar="FILE",
        help="read the checkpoint from FILE at start; write it there after every event",
    )  # fmt: skip
    watch.add_argument(
        "--sandbox-changes", type=seconds, default=1.0, metavar="SECONDS",
        help="with --sandbox: change a random receipt every SECONDS (0: never; default 1)",
    )  # fmt: skip


def _add_sandbox(commands: argparse._SubParsersAction[_Parser]) -> None:
    sandbox = commands.add_parser(
        "sandbox",
        help="serve the API simulator until Ctrl-C",
        description="Serve the in-package Clopos API simulator and print the CLOPOS_* "
        "variables (its fixed test credentials) that point a client at it.",
    )
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument(
        "--port",
        type=non_negative_int,
        default=DEFAULT_SANDBOX_PORT,
        help="port (default %(default)s; 0 picks a free one)",
    )
    sandbox.add_argument(
        "--receipts",
        type=positive_int,
        default=DEFAULT_SANDBOX_RECEIPTS,
        metavar="N",
        help="synthetic receipts (default %(default)s)",
    )
    sandbox.add_argument("--seed", type=non_negative_int, default=0, metavar="S")


def _add_resource(command: _Parser, help: str) -> None:
    names = list(RESOURCES)
    command.add_argument(
        "resource", nargs="?", default="receipts", choices=names, metavar="RESOURCE",
        help=f"{help}: one of {', '.join(names)}",
    )  # fmt: skip


def _add_include(command: _Parser) -> None:
    # One value per option (repeat it, or separate names by commas): a list-valued
    # option would swallow a positional ID that follows it.
    command.add_argument(
        "--include",
        type=include,
        action="extend",
        default=[],
        metavar="REL[,REL...]",
        help="relations to embed (API with[]), e.g. receipt_products; repeatable",
    )


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse ``argv``; cross-argument checks (``--from`` after ``--to``) raise UsageError."""
    args = build_parser().parse_args(list(argv))
    if args.command == "export":
        _check_export(args)
    if args.command == "get":
        _check_get(args)
    return args


def _check_get(args: argparse.Namespace) -> None:
    if RESOURCES[args.resource].getter is None:
        can = ", ".join(name for name, r in RESOURCES.items() if r.getter is not None)
        raise UsageError(f"the API has no get for {args.resource}: get works for {can}")
    if args.resource == "receipts":
        try:
            args.id = receipt_id(args.id)
        except argparse.ArgumentTypeError as exc:
            raise UsageError(f"argument ID: {exc}") from None


def _check_export(args: argparse.Namespace) -> None:
    """Per-resource rules: dates and includes are receipts' (``CliResource.dated``)."""
    resource = RESOURCES[args.resource]
    if args.limit is None:
        args.limit = resource.max_limit
    if args.limit > resource.max_limit:
        raise UsageError(f"--limit {args.limit} is above the API maximum for {resource.name}: "
                         f"1-{resource.max_limit} is allowed")  # fmt: skip
    dates = (args.date_from, args.date_to)
    if not resource.dated:
        if dates != (None, None) or args.include:
            raise UsageError(f"--from, --to and --include do not apply to {resource.name}")
        return
    if None in dates:
        raise UsageError(f"exporting {resource.name} requires --from and --to")
    if args.date_from > args.date_to:
        raise UsageError(
            f"--from {args.date_from.isoformat()} is after --to {args.date_to.isoformat()}: "
            "the range is inclusive and --from must be on or before --to"
        )

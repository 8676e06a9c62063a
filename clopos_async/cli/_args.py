"""Argument parsing for the ``clopos-async`` command: the parser and its value types.

Every usage error becomes a ``UsageError`` (exit 2, one line on stderr) instead of
argparse's usage dump, so scripts see the same one-line shape for every failure.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import NoReturn

from clopos_async import ClientValueError, PaymentMethod, __version__
from clopos_async._validation import check_closed_at
from clopos_async.cli._failures import UsageError
from clopos_async.cli._output import PROG
from clopos_async.cli._watch import FEEDS
from clopos_async.cli._writers import CSV_COLUMNS
from clopos_async.resources.receipts import MAX_LIMIT

#: The API's own maximum page size for receipts (API §8: "typically 200").
DEFAULT_LIMIT = MAX_LIMIT
DEFAULT_CONCURRENCY = 4
DEFAULT_SANDBOX_RECEIPTS = 5000
DEFAULT_SANDBOX_PORT = 8765

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

CSV_HELP = (
    "CSV columns, in this order: " + ", ".join(CSV_COLUMNS) + ". Amounts are exact, in "
    "one plain format without trailing zeros (47.80 is written 47.8, 30.0 as 30), "
    "timestamps as 'YYYY-MM-DD HH:mm:ss', payment_methods as "
    "'id:name:amount;...'; products_count needs --include receipt_products."
)

_WIRE_DATETIME = "'YYYY-MM-DD HH:mm:ss'"


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are exceptions, not a usage dump and an exit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


# --- value types ---------------------------------------------------------------------------


def wire_date(text: str) -> date:
    """A real day written ``YYYY-MM-DD`` (API §8 ``date[0]``/``date[1]``)."""
    if _DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass  # well-formed but not a real day, e.g. 2025-02-30
    raise argparse.ArgumentTypeError(
        f"{text!r} is not a date: a real day as YYYY-MM-DD is required"
    )


def _at_least(text: str, parse: Callable[[str], float], lowest: float, wanted: str) -> float:
    """``parse(text)`` if it is a finite number >= ``lowest``, else an argparse error."""
    try:
        value = parse(text)
    except ValueError:
        value = float("nan")  # fails the check below
    if not lowest <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed: {wanted} is required")
    return value


def positive_int(text: str) -> int:
    """An integer >= 1."""
    return int(_at_least(text, int, 1, "an integer >= 1"))


def receipt_id(text: str) -> int:
    """A receipt id: an integer >= 1."""
    return int(_at_least(text, int, 1, "a receipt id (an integer >= 1)"))


def page_size(text: str) -> int:
    """A page size the API accepts: an integer from 1 to ``MAX_LIMIT`` (API §8)."""
    wanted = f"an integer from 1 to {MAX_LIMIT}"
    size = int(_at_least(text, int, 1, wanted))
    if size > MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed: {wanted} is required")
    return size


def closed_at(text: str) -> datetime:
    """A moment in venue local time written ``YYYY-MM-DD HH:mm:ss`` (API §9.12)."""
    try:
        moment = check_closed_at(text)
    except ClientValueError:
        moment = None
    if moment is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time: {_WIRE_DATETIME} in venue local time is required, "
            "e.g. '2025-08-31 21:00:00'"
        )
    return moment


def include(text: str) -> list[str]:
    """One relation or several, comma-separated: ``receipt_products``, ``a,b``."""
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not allowed: relation names, comma-separated, are required, "
            "e.g. receipt_products"
        )
    return names


def non_negative_int(text: str) -> int:
    """An integer >= 0 (a port, a seed)."""
    return int(_at_least(text, int, 0, "an integer >= 0"))


def seconds(text: str) -> float:
    """A finite number of seconds >= 0."""
    return _at_least(text, float, 0.0, "a number of seconds >= 0")


def positive_seconds(text: str) -> float:
    """A finite number of seconds > 0 (a polling interval)."""
    value = _at_least(text, float, 0.0, "a number of seconds > 0")
    if value == 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed: a number of seconds > 0")
    return value


def payment(text: str) -> PaymentMethod:
    """``ID:NAME:AMOUNT``, e.g. ``2:Card:8.14``; NAME may itself contain colons."""
    head, _, rest = text.partition(":")
    name, _, amount = rest.rpartition(":")
    try:
        method_id = int(head)
        if method_id < 1 or not name.strip():
            raise ValueError(text)
        # Decimal keeps what the user typed: "8140" stays an integer on the wire (API §11).
        return PaymentMethod(id=method_id, name=name, amount=Decimal(amount))
    except (ValueError, InvalidOperation):  # ClientValueError (a non-finite amount) too
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a payment: ID:NAME:AMOUNT is required, e.g. 2:Card:8.14"
        ) from None


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
        help="stream receipts to JSONL or CSV",
        description="Stream every receipt created between --from and --to (inclusive, oldest "
        "first) to JSONL (one wire-shape receipt per line) or CSV.",
        epilog=CSV_HELP,
    )
    export.add_argument(
        "--from",
        dest="date_from",
        type=wire_date,
        required=True,
        metavar="YYYY-MM-DD",
        help="first day of the range, e.g. 2025-08-01 (receipts created on it are included)",
    )
    export.add_argument(
        "--to",
        dest="date_to",
        type=wire_date,
        required=True,
        metavar="YYYY-MM-DD",
        help="last day of the range, e.g. 2025-08-31 (included)",
    )
    export.add_argument(
        "--format",
        choices=("jsonl", "csv"),
        default="jsonl",
        help="jsonl: one wire-shape receipt per line; csv: the columns below (default %(default)s)",
    )
    export.add_argument("--out", default="-", metavar="FILE", help="output file (default: stdout)")
    _add_include(export)
    export.add_argument(
        "--limit",
        type=page_size,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"receipts per page, 1-{MAX_LIMIT} (default %(default)s: fewest requests)",
    )
    export.add_argument(
        "--concurrency",
        type=positive_int,
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help="pages fetched ahead (default %(default)s)",
    )
    export.add_argument(
        "--page",
        type=positive_int,
        default=1,
        metavar="N",
        help="first page, to resume an interrupted export with the --page and --limit it "
        "names; above 1, --out is appended to, without a second CSV header (default 1)",
    )
    export.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def _add_get(commands: argparse._SubParsersAction[_Parser], client: _Parser) -> None:
    get = commands.add_parser(
        "get",
        parents=[client],
        help="print one receipt as JSON (wire shape)",
        description="Print one receipt as JSON, in the API's wire shape.",
    )
    get.add_argument("id", type=receipt_id, metavar="ID", help="the receipt's id, e.g. 42")
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
    if args.command == "export" and args.date_from > args.date_to:
        raise UsageError(
            f"--from {args.date_from.isoformat()} is after --to {args.date_to.isoformat()}: "
            "the range is inclusive and --from must be on or before --to"
        )
    return args

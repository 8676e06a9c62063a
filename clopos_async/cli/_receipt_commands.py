"""``clopos-async get`` and ``clopos-async close``: one receipt, printed as wire JSON."""

from __future__ import annotations

import argparse

from clopos_async import ClosedReceipt, Receipt, converter
from clopos_async.cli._failures import EXIT_OK
from clopos_async.cli._interrupt import run_interruptible
from clopos_async.cli._output import print_json
from clopos_async.cli._source import open_client


async def get_command(args: argparse.Namespace) -> int:
    """Print the receipt ``args.id`` (with ``--include`` relations) as JSON."""
    receipt = await run_interruptible(_get(args))
    print_json(converter.unstructure(receipt))
    return EXIT_OK


async def close_command(args: argparse.Namespace) -> int:
    """Close the receipt ``args.id`` with ``--payment``s; print the ClosedReceipt as JSON.

    The SDK closes exactly once: a lost response is reconciled with a GET, and a
    replayed close of a receipt already closed with these payments succeeds again.
    """
    closed = await run_interruptible(_close(args))
    print_json(converter.unstructure(closed))
    return EXIT_OK


async def _get(args: argparse.Namespace) -> Receipt:
    async with open_client(args) as clopos:
        return await clopos.receipts.get(args.id, include=args.include)


async def _close(args: argparse.Namespace) -> ClosedReceipt:
    async with open_client(args) as clopos:
        return await clopos.receipts.close(args.id, args.payments, closed_at=args.closed_at)

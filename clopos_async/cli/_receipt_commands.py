"""``clopos-async get`` (any resource of ``_resources``) and ``close``: printed as wire JSON."""

from __future__ import annotations

import argparse
from typing import Any

from clopos_async import ClosedReceipt, converter
from clopos_async.cli._failures import EXIT_OK
from clopos_async.cli._interrupt import run_interruptible
from clopos_async.cli._output import print_json
from clopos_async.cli._resources import RESOURCES, path_id
from clopos_async.cli._source import open_client


async def get_command(args: argparse.Namespace) -> int:
    """Print ``args.id`` of ``args.resource`` (receipts: with ``--include``) as wire JSON."""
    item = await run_interruptible(_get(args))
    print_json(converter.unstructure(item))
    return EXIT_OK


async def close_command(args: argparse.Namespace) -> int:
    """Close the receipt ``args.id`` with ``--payment``s; print the ClosedReceipt as JSON.

    The SDK closes exactly once: a lost response is reconciled with a GET, and a
    replayed close of a receipt already closed with these payments succeeds again.
    """
    closed = await run_interruptible(_close(args))
    print_json(converter.unstructure(closed))
    return EXIT_OK


async def _get(args: argparse.Namespace) -> Any:
    getter = RESOURCES[args.resource].getter
    assert getter is not None  # the parser offers only resources with a get
    async with open_client(args) as clopos:
        return await getter(clopos, path_id(args.id), args)


async def _close(args: argparse.Namespace) -> ClosedReceipt:
    async with open_client(args) as clopos:
        return await clopos.receipts.close(args.id, args.payments, closed_at=args.closed_at)

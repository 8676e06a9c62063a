"""The ``clopos-async`` command: export, get and close receipts; serve the sandbox.

``main(argv)`` parses the command line, runs one command on a fresh event loop
and turns every expected failure into one stderr line and an exit code:
0 success (a reader that went away, as ``| head`` does, included); 1 an API or network
failure, or a write to the output that failed mid-way; 2 a usage error, an ``--out``
that cannot be opened included; 130 Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Iterator, Sequence

from clopos_async import CloposError
from clopos_async.cli._args import parse_args
from clopos_async.cli._export import export_command
from clopos_async.cli._failures import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    Failure,
    Interrupted,
    failure_from,
)
from clopos_async.cli._output import say
from clopos_async.cli._receipt_commands import close_command, get_command
from clopos_async.cli._serve import sandbox_command
from clopos_async.cli._source import api_host
from clopos_async.cli._watch import watch_command

__all__ = ["main"]

Command = Callable[[argparse.Namespace], Awaitable[int]]

COMMANDS: dict[str, Command] = {
    "export": export_command,
    "get": get_command,
    "close": close_command,
    "sandbox": sandbox_command,
    "watch": watch_command,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``clopos-async`` with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
        with _sdk_logging(args.verbose):
            return asyncio.run(_run(COMMANDS[args.command], args))
    except SystemExit as done:  # --help and --version end through argparse's exit()
        return done.code if isinstance(done.code, int) else EXIT_USAGE
    except Failure as failure:
        say(f"error: {failure.message}")
        return failure.code
    except (Interrupted, KeyboardInterrupt):
        say("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``| head``): it has all it wanted. Quiet, and success,
        # as Unix tools do when SIGPIPE ends them.
        _drop_stdout()
        return EXIT_OK


async def _run(command: Command, args: argparse.Namespace) -> int:
    try:
        return await command(args)
    except CloposError as exc:  # the commands' own handling missed it: still one line
        raise failure_from(exc, host=api_host(args)) from None


@contextlib.contextmanager
def _sdk_logging(verbosity: int) -> Iterator[None]:
    """-v shows the SDK's retry warnings, -vv every request; default: none of them.

    Without a handler of its own, the SDK's warnings would reach Python's last-resort
    handler and break the one-line failure contract. The handler is removed again
    afterwards, so calling ``main()`` in-process leaves logging as it found it.
    """
    sdk_logger = logging.getLogger("clopos_async")
    handler: logging.Handler = logging.NullHandler()
    level = sdk_logger.level
    if verbosity > 0:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("clopos-async: %(levelname)s: %(message)s"))
        sdk_logger.setLevel(logging.DEBUG if verbosity > 1 else logging.INFO)
    sdk_logger.addHandler(handler)
    try:
        yield
    finally:
        sdk_logger.removeHandler(handler)
        sdk_logger.setLevel(level)


def _drop_stdout() -> None:
    # Point stdout at /dev/null so the interpreter's final flush cannot fail again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())

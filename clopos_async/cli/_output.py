"""Where command output goes: a file or stdout, as bytes; and stderr messages."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any, BinaryIO

import orjson

from clopos_async.cli._failures import EXIT_USAGE, Failure

PROG = "clopos-async"
STDOUT = "-"


@contextlib.contextmanager
def open_sink(path: str) -> Iterator[BinaryIO]:
    """A binary stream for ``path`` (``-`` is stdout); flushed when the block ends."""
    if path == STDOUT:
        try:
            yield sys.stdout.buffer
        finally:
            sys.stdout.buffer.flush()
        return
    try:
        stream = open(path, "wb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise Failure(f"cannot write --out {path}: {exc.strerror}", code=EXIT_USAGE) from None
    with stream:
        yield stream


def print_json(value: Any) -> None:
    """``value`` as indented JSON on stdout (wire shapes are JSON-ready)."""
    sys.stdout.buffer.write(
        orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    )
    sys.stdout.buffer.flush()


def say(message: str) -> None:
    """One ``clopos-async: ...`` line on stderr."""
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)

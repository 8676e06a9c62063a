"""Where command output goes: a file or stdout, as bytes; and stderr messages."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any, BinaryIO

import orjson

from clopos_async.cli._failures import UsageError

PROG = "clopos-async"
STDOUT = "-"


class DeferredSink:
    """A binary output (``-`` is stdout) that is opened by its first write.

    Nothing touches ``path`` before then, so a run that fails before any data
    arrives (bad credentials, the network down) leaves an existing file as it was.
    ``append`` (a resumed export) adds to the file instead of replacing it, and
    ``header`` is written only to an output that starts empty: a resumed CSV keeps
    its one header row, while a resume into a new file still gets one. Stdout can
    not tell, so there the header goes out exactly when ``append`` is false.
    """

    def __init__(self, path: str, *, append: bool, header: bytes) -> None:
        self._path = path
        self._append = append
        self._header = header
        self._stream: BinaryIO | None = None

    def write(self, data: bytes) -> None:
        """Write and flush ``data``, opening the output first if this is the first write."""
        stream = self.start()
        stream.write(data)
        stream.flush()

    def start(self) -> BinaryIO:
        """The open output: opened (and headed) now unless an earlier call did it."""
        if self._stream is None:
            stream = sys.stdout.buffer if self._path == STDOUT else self._open_file()
            self._stream = stream
            if self._starts_empty(stream):
                stream.write(self._header)
        return self._stream

    def close(self) -> None:
        """Flush stdout, or close the file; a sink never opened stays untouched."""
        stream, self._stream = self._stream, None
        if stream is None:
            return
        if stream is sys.stdout.buffer:
            stream.flush()
        else:
            stream.close()

    def __enter__(self) -> DeferredSink:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _open_file(self) -> BinaryIO:
        # A path that cannot be opened is a bad argument (exit 2); a write that fails
        # later, once data is flowing, is an output failure (exit 1, the caller's job).
        try:
            return open(self._path, "ab" if self._append else "wb")  # closed by close()
        except OSError as exc:
            raise UsageError(f"cannot open --out {self._path}: {exc.strerror}") from None

    def _starts_empty(self, stream: BinaryIO) -> bool:
        if not self._append:
            return True
        # Append mode opens at the end of the file: position 0 means it is empty.
        return stream is not sys.stdout.buffer and stream.tell() == 0


def print_json(value: Any) -> None:
    """``value`` as indented JSON on stdout (wire shapes are JSON-ready)."""
    sys.stdout.buffer.write(
        orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    )
    sys.stdout.buffer.flush()


def say(message: str) -> None:
    """One ``clopos-async: ...`` line on stderr."""
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)

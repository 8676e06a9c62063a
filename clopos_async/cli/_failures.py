"""Exit codes and the one-line failure messages of the ``clopos-async`` command.

Every expected failure ends as one stderr line ``clopos-async: error: <reason>`` and
an exit code; never a traceback.
"""

from __future__ import annotations

from clopos_async import (
    ClientValueError,
    CloposError,
    CloseConflictError,
    TransportError,
)

EXIT_OK = 0
#: The API or the network failed, or a write to an output that did open failed mid-way.
EXIT_FAILURE = 1
#: A bad argument (argparse's convention): the SDK's ClientValueError too, and an
#: ``--out`` that cannot be opened, since the path the user gave is what is wrong.
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, the shell's convention for Ctrl-C


class Failure(Exception):
    """A command failed in an expected way: print ``message``, exit with ``code``."""

    def __init__(self, message: str, *, code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.message = one_line(message)
        self.code = code


class UsageError(Failure):
    """A bad command line (exit 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code=EXIT_USAGE)


class Interrupted(Exception):
    """Ctrl-C stopped the command; it has already cleaned up."""


def failure_from(exc: CloposError, *, context: str = "", host: str | None = None) -> Failure:
    """The Failure for an SDK error: a bad argument is a usage error, the rest exit 1.

    Args:
        exc: what the SDK raised.
        context: appended to the message, e.g. how far an export got.
        host: the API host, named when the network failed (``cannot reach HOST: ...``).

    Returns:
        The Failure to raise.
    """
    code = EXIT_USAGE if isinstance(exc, ClientValueError) else EXIT_FAILURE
    message = str(exc)
    if isinstance(exc, CloseConflictError):
        message = str(exc)  # `paid 2 Cash 8140 ≠ closed with 1 Card 14.64`
    elif isinstance(exc, TransportError) and host:
        message = f"cannot reach {host}: {message}"
    return Failure(f"{message}{context}", code=code)


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines included) made one space."""
    return " ".join(text.split())

"""Exit codes and the one-line failure messages of the ``clopos-async`` command.

Every expected failure ends as one stderr line ``clopos-async: error: <reason>`` and
an exit code; never a traceback.
"""

from __future__ import annotations

from clopos_async import ClientValueError, CloposError

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


def failure_from(exc: CloposError, *, context: str = "") -> Failure:
    """The Failure for an SDK error: a bad argument is a usage error, the rest exit 1."""
    code = EXIT_USAGE if isinstance(exc, ClientValueError) else EXIT_FAILURE
    return Failure(f"{exc}{context}", code=code)


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines included) made one space."""
    return " ".join(text.split())

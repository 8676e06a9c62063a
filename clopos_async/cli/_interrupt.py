"""Ctrl-C as a clean stop: SIGINT cancels the running command instead of killing it.

The command's ``finally`` blocks and ``async with`` exits run (output flushed,
sessions and the sandbox closed) before ``Interrupted`` reaches the caller, which
then reports how far the command got.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from clopos_async.cli._failures import Interrupted

T = TypeVar("T")


async def run_interruptible(command: Coroutine[Any, Any, T]) -> T:
    """Run ``command`` in a task; SIGINT cancels it and raises ``Interrupted`` here."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(command)
    interrupted = False

    def on_sigint() -> None:
        nonlocal interrupted
        interrupted = True
        task.cancel()

    installed = _install(loop, on_sigint)
    try:
        return await task
    except asyncio.CancelledError:
        if interrupted:
            raise Interrupted from None
        raise
    finally:
        if installed:
            loop.remove_signal_handler(signal.SIGINT)


def _install(loop: asyncio.AbstractEventLoop, handler: Callable[[], None]) -> bool:
    # Windows loops have no add_signal_handler; there KeyboardInterrupt stays the fallback.
    try:
        loop.add_signal_handler(signal.SIGINT, handler)
    except (NotImplementedError, RuntimeError):
        return False
    return True

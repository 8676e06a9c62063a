"""The narrow seam between resources and their client: send a call, read the options.

Resources never read the client's private attributes (DESIGN §3), and the client
imports resources, never the other way round, so there is no import cycle. A view
made by ``with_options`` hands its resources a seam with its own options.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

import attrs

from clopos_async._retry import Deadline


class Send(Protocol):
    """The client's call path: one API call, retried and paced, its success envelope back.

    ``shared_deadline`` is one ``Deadline`` for several calls of one operation (a close's
    POSTs and reconciling GETs); it wins over ``deadline``.
    """

    def __call__(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, str]] = (),
        json: Any = None,
        safe: bool | None = None,
        deadline: float | None = None,
        shared_deadline: Deadline | None = None,
    ) -> Awaitable[dict[str, Any]]: ...


@attrs.frozen(kw_only=True)
class Seam:
    """What a resource may use of its client.

    ``deadline`` is the seconds one call of this client (or view) may take, all retries
    included; ``max_attempts`` the retry policy's; ``max_concurrency`` the client's
    default width for fan-out helpers; ``monotonic`` the client's clock.
    """

    send: Send
    authenticate: Callable[[], Awaitable[None]]
    monotonic: Callable[[], float]
    #: The client's sleep (a fake clock's in tests): change feeds wait between polls with it.
    sleep: Callable[[float], Awaitable[None]]
    deadline: float
    max_attempts: int
    max_concurrency: int

    async def begin_operation(self) -> Deadline:
        """Start a write that may take several calls (a close, a create); its Deadline.

        A token comes first, so a failing ``/auth`` surfaces as itself, never as an
        ambiguous write that needs reconciling. The one Deadline covers all the
        operation's calls: queueing in any of them pushes it back for all (README
        "Retries"), so a write that waited its turn still has time to reconcile.
        """
        await self.authenticate()
        return Deadline(ends_at=self.monotonic() + self.deadline, clock=self.monotonic)

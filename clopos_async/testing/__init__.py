"""Test helpers for code that talks to the Clopos Open API v2 (DESIGN §4).

``SandboxServer`` is an in-process simulator of the documented API: seeded
receipts, tokens, the three rate-limit tiers and a scripted fault plan. The pytest
plugin (``clopos_async.testing.plugin``) offers it as the ``clopos_sandbox`` fixture.
"""

from __future__ import annotations

from clopos_async.testing._faults import Fault, FaultPlan
from clopos_async.testing._limits import RateTier
from clopos_async.testing._log import CloseRecord, LoggedRequest, StateChange
from clopos_async.testing._server import SandboxServer

__all__ = [
    "CloseRecord",
    "Fault",
    "FaultPlan",
    "LoggedRequest",
    "RateTier",
    "SandboxServer",
    "StateChange",
]

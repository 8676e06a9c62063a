"""Which shared budget and token a client belongs to: its tenant key (API §7, DESIGN §7).

The server counts tier 3 per ``integrator_id:brand`` and tier 1 per caller, so a
backend shared by many processes (and many tenants) must be told whose budget a
client spends. A backend that can be scoped says so with ``for_client``; the
in-memory backend is one process's and needs no key.
"""

from __future__ import annotations

import hashlib
from typing import Protocol, runtime_checkable

from clopos_async._config import Credentials
from clopos_async._ratelimit import LimiterBackend

#: A slot held by a process that died is reclaimed this long after its attempt's timeout.
LEASE_MARGIN = 5.0


@runtime_checkable
class TenantScoped(Protocol):
    """A shared backend that keys its buckets by tenant (``clopos_async.redis``)."""

    def for_client(self, *, tenant: str, auth: str, lease: float) -> LimiterBackend:
        """The backend one client uses.

        Args:
            tenant: the key of the tenant bucket (``integrator_id:brand``).
            auth: the key of the ``/auth`` bucket (the client id).
            lease: seconds after which a slot whose holder never completed it is
                reclaimed (the per-attempt timeout plus ``LEASE_MARGIN``).

        Returns:
            A ``LimiterBackend`` whose ``tenant`` and ``auth`` buckets are those keys.
        """
        ...


def tenant_key(credentials: Credentials | None, token: str | None) -> str:
    """``integrator_id:brand`` (the server's tier-3 key), or a hash of a static token.

    The hash stands in for a tenant the client cannot name; it is not reversible,
    so the token itself never reaches the shared store's key names.
    """
    if credentials is not None:
        return f"{credentials.integrator_id}:{credentials.brand}"
    digest = hashlib.sha256((token or "").encode()).hexdigest()[:32]
    return f"token:{digest}"


def auth_key(credentials: Credentials | None, tenant: str) -> str:
    """The ``/auth`` bucket's key: the client id (a static token never mints)."""
    return credentials.client_id if credentials is not None else tenant

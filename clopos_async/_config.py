"""Client configuration values: credentials, retry policy and rate-limit budget.

Plain frozen attrs classes the constructor of CloposClient takes (DESIGN §1).
Secrets are kept out of every repr.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from clopos_async._ratelimit import LimiterBackend

#: The v2 base URL (API §1).
DEFAULT_BASE_URL = "https://integrations.clopos.com/open-api/v2"


def _non_empty(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    from clopos_async._errors import ClientValueError

    if not isinstance(value, str) or not value:
        shown = "***" if attribute.name == "client_secret" else repr(value)
        raise ClientValueError(
            f"Credentials.{attribute.name}={shown} is not allowed: a non-empty string is required"
        )


@attrs.frozen(kw_only=True, slots=True)
class Credentials:
    """The four strings ``POST /auth`` takes (API §3.1). The secret never shows in a repr."""

    client_id: str = attrs.field(validator=_non_empty)
    client_secret: str = attrs.field(validator=_non_empty, repr=False)
    brand: str = attrs.field(validator=_non_empty)
    integrator_id: str = attrs.field(validator=_non_empty)

    def auth_body(self) -> dict[str, str]:
        """The JSON body of ``POST /auth``."""
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "brand": self.brand,
            "integrator_id": self.integrator_id,
        }


@attrs.frozen(kw_only=True, slots=True)
class RetryPolicy:
    """How failed attempts are retried (DESIGN §2).

    ``max_attempts`` counts the first try; ``base`` and ``cap`` shape full-jitter
    exponential backoff; ``deadline`` bounds the whole call, retries included.
    """

    max_attempts: int = 5
    base: float = 0.5
    cap: float = 8.0
    deadline: float = 60.0

    def __attrs_post_init__(self) -> None:
        from clopos_async._errors import ClientValueError

        attempts = self.max_attempts
        if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
            raise ClientValueError(
                f"RetryPolicy.max_attempts={attempts!r} is not allowed: an integer >= 1 is required"
            )
        for name, lowest in (("base", 0.0), ("cap", 0.0)):
            _check_seconds(f"RetryPolicy.{name}", getattr(self, name), lowest, inclusive=True)
        _check_seconds("RetryPolicy.deadline", self.deadline, 0.0, inclusive=False)


@attrs.frozen(kw_only=True, slots=True)
class RateLimit:
    """The client's own pacing budget (API §7): per-tenant and ``/auth`` tiers.

    ``backend`` shares the budget between processes (``clopos_async.redis``);
    ``None`` keeps it in this process's memory.
    """

    requests: int = 300
    window: float = 60.0
    auth_requests: int = 60
    backend: LimiterBackend | None = None

    def __attrs_post_init__(self) -> None:
        from clopos_async._errors import ClientValueError

        for name in ("requests", "auth_requests"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ClientValueError(f"RateLimit.{name}={value!r} is not allowed: must be >= 1")
        _check_seconds("RateLimit.window", self.window, 0.0, inclusive=False)


def _check_seconds(name: str, value: object, lowest: float, *, inclusive: bool) -> None:
    """A finite number of seconds above ``lowest`` (or equal to it, if ``inclusive``)."""
    from clopos_async._errors import ClientValueError

    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        above = value > lowest or (inclusive and value == lowest)
    else:
        above = False
    if not above:
        relation = ">=" if inclusive else ">"
        raise ClientValueError(
            f"{name}={value!r} is not allowed: a finite number of seconds {relation} {lowest:g}"
            " is required"
        )

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


#: The most requests a window may allow: far above any real budget (API §7: 300 a minute),
#: and small enough for the limiter's arithmetic.
MAX_WINDOW_REQUESTS = 1_000_000_000
#: The longest a window, backoff or deadline may last: a day. Longer is a typo, and
#: float arithmetic on huge values overflows (``math.isfinite(10**400)`` raises).
MAX_SECONDS = 86_400.0
#: The methods a ``RateLimit.backend`` must have (clopos_async._ratelimit.LimiterBackend).
BACKEND_METHODS = ("reserve", "complete", "hold")


def _non_empty(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    from clopos_async._errors import ClientValueError
    from clopos_async._validation import shown

    if not isinstance(value, str) or not value:
        text = "***" if attribute.name == "client_secret" else shown(value)
        raise ClientValueError(
            f"Credentials.{attribute.name}={text} is not allowed: a non-empty string is required"
        )


@attrs.frozen(kw_only=True, slots=True)
class Credentials:
    """The four strings ``POST /auth`` takes (API §3.1). The secret never shows in a repr.

    Attributes:
        client_id: the integration's client id.
        client_secret: the client secret (never shown in a repr).
        brand: the brand the token targets.
        integrator_id: the integrator's id.
    """

    client_id: str = attrs.field(validator=_non_empty)
    client_secret: str = attrs.field(validator=_non_empty, repr=False)
    brand: str = attrs.field(validator=_non_empty)
    integrator_id: str = attrs.field(validator=_non_empty)

    def auth_body(self) -> dict[str, str]:
        """The JSON body of ``POST /auth``.

        Returns:
            ``client_id``, ``client_secret``, ``brand`` and ``integrator_id``, as a dict.
        """
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

    Attributes:
        max_attempts: attempts per call, the first try included (default 5).
        base: the first backoff's upper bound, in seconds (default 0.5).
        cap: the longest backoff, in seconds (default 8).
        deadline: seconds for the whole call, retries included (default 60).
    """

    max_attempts: int = 5
    base: float = 0.5
    cap: float = 8.0
    deadline: float = 60.0

    def __attrs_post_init__(self) -> None:
        _check_count("RetryPolicy.max_attempts", self.max_attempts, 1000)
        for name, lowest in (("base", 0.0), ("cap", 0.0)):
            _check_seconds(f"RetryPolicy.{name}", getattr(self, name), lowest, inclusive=True)
        _check_seconds("RetryPolicy.deadline", self.deadline, 0.0, inclusive=False)


@attrs.frozen(kw_only=True, slots=True)
class RateLimit:
    """The client's own pacing budget (API §7): per-tenant and ``/auth`` tiers.

    ``backend`` shares the budget between processes (``clopos_async.redis``);
    ``None`` keeps it in this process's memory.

    Attributes:
        requests: requests per ``window`` for the tenant (default 300).
        window: the window, in seconds (default 60).
        auth_requests: ``POST /auth`` requests per ``window`` (default 60).
        backend: where the budget lives: None for this process's memory, or a shared
            ``LimiterBackend`` such as ``RedisBackend``.
    """

    requests: int = 300
    window: float = 60.0
    auth_requests: int = 60
    backend: LimiterBackend | None = None

    def __attrs_post_init__(self) -> None:
        for name in ("requests", "auth_requests"):
            _check_count(f"RateLimit.{name}", getattr(self, name), MAX_WINDOW_REQUESTS)
        _check_seconds("RateLimit.window", self.window, 0.0, inclusive=False)
        _check_backend(self.backend)


def _check_count(name: str, value: object, highest: int) -> None:
    """An int (never a bool: ``requests=True`` is a slip, not 1) from 1 to ``highest``."""
    from clopos_async._errors import ClientValueError
    from clopos_async._validation import shown

    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= highest:
        raise ClientValueError(
            f"{name}={shown(value)} is not allowed: an integer from 1 to {highest} is required"
        )


def _check_seconds(name: str, value: object, lowest: float, *, inclusive: bool) -> None:
    """A number of seconds above ``lowest`` (or equal to it, if ``inclusive``), at most a day."""
    from clopos_async._errors import ClientValueError
    from clopos_async._validation import shown

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Compare before any float(): a huge int would overflow converting.
        in_range = value <= MAX_SECONDS and (value > lowest or (inclusive and value == lowest))
        ok = in_range and math.isfinite(value)
    else:
        ok = False
    if not ok:
        relation = ">=" if inclusive else ">"
        raise ClientValueError(
            f"{name}={shown(value)} is not allowed: a number of seconds {relation} {lowest:g}"
            f" and <= {MAX_SECONDS:g} is required"
        )


def _check_backend(backend: object) -> None:
    """``None`` or an object with the LimiterBackend methods (duck-typed: it is a Protocol)."""
    from clopos_async._errors import ClientValueError

    if backend is None:
        return
    missing = [name for name in BACKEND_METHODS if not callable(getattr(backend, name, None))]
    if missing:
        raise ClientValueError(
            f"RateLimit.backend={type(backend).__name__} object is not allowed: a LimiterBackend"
            f" (with {', '.join(BACKEND_METHODS)}) or None is required; missing {missing}"
        )

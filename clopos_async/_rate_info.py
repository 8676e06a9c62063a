"""``RateLimitInfo``: the ``RateLimit-*`` headers of one response (API §4, §7).

Its own module on the protocol side, so that errors, the protocol, the limiter and the
pipeline can all carry it without importing each other or the models.
"""

from __future__ import annotations

import attrs


@attrs.frozen(kw_only=True, slots=True)
class RateLimitInfo:
    """The ``RateLimit-*`` headers of one response (API §4, §7).

    ``reset`` is in seconds from when the response was received, not an epoch.

    Attributes:
        limit: ``RateLimit-Limit``: requests allowed in the window.
        remaining: ``RateLimit-Remaining``: requests left in the window.
        reset: ``RateLimit-Reset``: seconds from receipt of the response until the window resets.
    """

    limit: int
    remaining: int
    reset: float

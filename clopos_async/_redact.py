"""Keeping tokens and secrets out of error messages, reprs and logs: one place for it.

Anything the server sent back can end up in ``str(exc)``, a log line or an error
tracker: a JWT echoed in a message, a ``token`` key in a body, or a truncated
``/auth`` answer that is not JSON but still holds the token. Text is masked by
pattern, structures by key, and nesting is capped so a hostile body cannot
exhaust the stack.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: Keys whose values never reach an error message, a repr or a log line.
SECRET_KEYS = frozenset({"token", "client_secret", "x-token", "access_token", "secret"})
REDACTED = "***"
#: Deeper nesting is cut to "...".
MAX_DEPTH = 32

_JWT = re.compile(r"eyJ[A-Za-z0-9_\-]*(?:\.[A-Za-z0-9_\-]*){0,2}")
_SECRET_NAMES = "|".join(re.escape(key) for key in sorted(SECRET_KEYS, key=len, reverse=True))
_SECRET_VALUE = re.compile(
    r"""(["']?(?:""" + _SECRET_NAMES + r""")["']?\s*[:=]\s*)("[^"]*"?|'[^']*'?|[^\s,&}]+)""",
    re.IGNORECASE,
)


def mask_text(text: str) -> str:
    """``text`` with JWT-looking runs and ``secret-key: value`` pairs replaced by ``***``."""
    return _JWT.sub(REDACTED, _SECRET_VALUE.sub(r"\1" + REDACTED, text))


def redact(value: Any, depth: int = 0) -> Any:
    """A copy of a JSON-like value with secret keys and token-like text masked."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, (Mapping, list)) and depth >= MAX_DEPTH:
        return "..."
    if isinstance(value, Mapping):
        return {
            key: REDACTED if str(key).lower() in SECRET_KEYS else redact(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact(item, depth + 1) for item in value]
    return value

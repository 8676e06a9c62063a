"""Keeping tokens and secrets out of error messages, reprs and logs: one place for it.

Anything the server sent back can end up in ``str(exc)``, a log line or an error
tracker: a JWT echoed in a message, a ``token`` key in a body, a truncated
``/auth`` answer that is not JSON but still holds the token, or a message that
quotes the client secret or a static non-JWT token. Text is masked by pattern
and, with a ``Masker`` that knows the client's own secrets, by their literal
values; structures by key; nesting is capped so a hostile body cannot exhaust
the stack.
"""

from __future__ import annotations

import collections
import re
from collections.abc import Iterable, Mapping
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


#: Known values shorter than this are not masked literally: they cannot be told apart from
#: ordinary words ("t" would blank every t), and no real secret or token is that short.
MIN_LITERAL = 8
#: Minted tokens remembered for literal masking (the current one and a few before it).
RECENT_TOKENS = 4


def mask_text(text: str) -> str:
    """``text`` with JWT-looking runs and ``secret-key: value`` pairs replaced by ``***``."""
    return _JWT.sub(REDACTED, _SECRET_VALUE.sub(r"\1" + REDACTED, text))


def redact(value: Any, depth: int = 0) -> Any:
    """A copy of a JSON-like value with secret keys and token-like text masked."""
    return PATTERNS_ONLY.value(value, depth)


class Masker:
    """Masks by pattern and by the literal secrets one client knows (DESIGN §2 Secrets).

    The client knows its ``client_secret``, its static token and the tokens it minted,
    so wherever the server echoes one of them (a message, a text/plain body, a body
    key with another name) it is replaced by ``***`` before any message is built.
    """

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        self._fixed = {s for s in secrets if isinstance(s, str) and len(s) >= MIN_LITERAL}
        self._minted: collections.deque[str] = collections.deque(maxlen=RECENT_TOKENS)
        self._literal: re.Pattern[str] | None = None
        self._compile()

    def add_token(self, token: str) -> None:
        """Also mask ``token`` (a freshly minted one) from now on."""
        if len(token) >= MIN_LITERAL and token not in self._minted:
            self._minted.append(token)
            self._compile()

    def text(self, text: str) -> str:
        """``text`` with known secrets, JWT-looking runs and ``key: value`` secrets masked."""
        if self._literal is not None:
            text = self._literal.sub(REDACTED, text)
        return mask_text(text)

    def value(self, value: Any, depth: int = 0) -> Any:
        """A copy of a JSON-like value with secret keys and secret text masked."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, (Mapping, list)) and depth >= MAX_DEPTH:
            return "..."
        if isinstance(value, Mapping):
            return {
                self._key(key): REDACTED
                if str(key).lower() in SECRET_KEYS
                else self.value(item, depth + 1)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [self.value(item, depth + 1) for item in value]
        return value

    def _key(self, key: Any) -> Any:
        return self.text(key) if isinstance(key, str) else key

    def _compile(self) -> None:
        known = sorted(self._fixed | set(self._minted), key=len, reverse=True)  # longest first
        self._literal = re.compile("|".join(map(re.escape, known))) if known else None


#: The masker that knows no literal secrets: patterns and keys only.
PATTERNS_ONLY = Masker()

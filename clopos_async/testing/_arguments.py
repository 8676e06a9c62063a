"""Argument checks of ``SandboxServer`` and its hooks (DESIGN §2 "Bad input", for tests).

One job: refuse a bad constructor or hook argument with a ``ClientValueError`` that
names it, its value and what is allowed.
"""

from __future__ import annotations

from typing import Any

from clopos_async._errors import ClientValueError
from clopos_async.testing._limits import RateTier


def check(name: str, value: Any, ok: bool, allowed: str) -> None:
    if not ok:
        raise ClientValueError(f"SandboxServer({name}={value!r}) is not allowed: {allowed}")


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_arguments(
    receipts: int,
    seed: int,
    days: int,
    token_ttl: int,
    latency: float,
    open_ratio: float,
    port: int,
) -> None:
    check("receipts", receipts, is_int(receipts) and receipts >= 0, "an int >= 0")
    check("seed", seed, is_int(seed), "an int")
    check("days", days, is_int(days) and days >= 1, "an int >= 1")
    check("token_ttl", token_ttl, is_int(token_ttl) and token_ttl >= 1, "an int >= 1 (seconds)")
    check("latency", latency, is_seconds(latency), "a number of seconds >= 0")
    check("open_ratio", open_ratio, _is_ratio(open_ratio), "a number from 0 to 1")
    check("port", port, is_int(port) and 0 <= port <= 65535, "an int from 0 to 65535")


def check_tiers(**tiers: RateTier | None) -> None:
    for name, tier in tiers.items():
        check(name, tier, tier is None or isinstance(tier, RateTier), "a RateTier or None")


def is_seconds(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def _is_ratio(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1

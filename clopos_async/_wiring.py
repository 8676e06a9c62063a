"""The Pipeline a client sends through, put together from its checked settings.

``CloposClient`` checks its arguments (``_settings``) and hands them here: the retry
runner (counting and logging each retry), the rate limiter (a shared backend scoped to
the client's tenant, DESIGN §7) and the headers every request carries.
"""

from __future__ import annotations

from collections.abc import Callable

from clopos_async._auth import TokenStore
from clopos_async._clock import Clock
from clopos_async._config import Credentials, RateLimit, RetryPolicy
from clopos_async._http import Transport
from clopos_async._pipeline import Pipeline, describe_failure, logger
from clopos_async._ratelimit import MemoryBackend, RateLimiter
from clopos_async._retry import RetryRunner
from clopos_async._stats import ClientStats
from clopos_async._tenant import LEASE_MARGIN, TenantScoped, auth_key
from clopos_async._version import __version__

USER_AGENT = f"clopos-async/{__version__}"


def build_pipeline(
    *,
    transport: Transport,
    credentials: Credentials | None,
    token: str | None,
    venue_id: int | None,
    timeout: float,
    retry_policy: RetryPolicy,
    rate_limit: RateLimit | None,
    max_concurrency: int,
    clock: Clock,
    stats: ClientStats,
    token_store: TokenStore | None,
    tenant: str,
) -> Pipeline:
    """The pipeline of one client; its views share it (``with_options``)."""
    limiter = build_limiter(
        rate_limit,
        clock=clock,
        tenant=tenant,
        auth=auth_key(credentials, tenant),
        lease=timeout + LEASE_MARGIN,
    )
    return Pipeline(
        transport=transport,
        credentials=credentials,
        token=token,
        headers=default_headers(venue_id),
        timeout=timeout,
        retry=build_retry(retry_policy, clock=clock, stats=stats),
        limiter=limiter,
        max_concurrency=max_concurrency,
        clock=clock,
        stats=stats,
        token_store=token_store,
        tenant=tenant,
    )


def build_retry(retry_policy: RetryPolicy, *, clock: Clock, stats: ClientStats) -> RetryRunner:
    """The runner of ``retry_policy`` on the client's clock, counting and logging retries."""
    return RetryRunner(
        retry_policy,
        clock=clock.monotonic,
        sleep=clock.sleep,
        on_retry=retry_logger(stats, retry_policy.max_attempts),
    )


def build_limiter(
    rate_limit: RateLimit | None, *, clock: Clock, tenant: str, auth: str, lease: float
) -> RateLimiter | None:
    """The limiter for ``rate_limit`` (None: pacing off), on its backend or one in memory."""
    if rate_limit is None:
        return None
    backend = rate_limit.backend or MemoryBackend(clock.monotonic)
    if isinstance(backend, TenantScoped):
        backend = backend.for_client(tenant=tenant, auth=auth, lease=lease)
    return RateLimiter(
        requests=rate_limit.requests,
        window=rate_limit.window,
        auth_requests=rate_limit.auth_requests,
        backend=backend,
        sleep=clock.sleep,
        clock=clock.monotonic,
    )


def default_headers(venue_id: int | None) -> dict[str, str]:
    """The headers every request carries (the token is added per attempt)."""
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if venue_id is not None:
        headers["x-venue"] = str(venue_id)  # API §4: per-request venue override
    return headers


def retry_logger(
    stats: ClientStats, max_attempts: int
) -> Callable[[BaseException, int, float], None]:
    """The retry runner's ``on_retry``: count the retry and log why, and when the next is."""

    def log_retry(exc: BaseException, attempt: int, wait: float) -> None:
        stats.retries += 1
        logger.warning(
            "retrying in %.2fs after %s (attempt %d of %d): %s",
            wait,
            describe_failure(exc),
            attempt,
            max_attempts,
            exc,
        )

    return log_retry

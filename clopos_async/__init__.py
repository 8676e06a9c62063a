"""clopos_async: an asyncio SDK for the Clopos Open API v2.

Import everything from here; the underscored modules are internal.
"""

from __future__ import annotations

from clopos_async import models
from clopos_async._auth import Token, TokenStore
from clopos_async._client import CloposClient
from clopos_async._clock import Clock, SystemClock
from clopos_async._config import DEFAULT_BASE_URL, Credentials, RateLimit, RetryPolicy
from clopos_async._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientValueError,
    CloposError,
    CloseConflictError,
    ClosedAtNotAfterCreatedError,
    CloseRejectedError,
    ConflictError,
    DecodeError,
    EmptyPaymentsError,
    GatewayTimeoutError,
    NegativeAmountError,
    NotFoundError,
    OutcomeUnknownError,
    OverpaymentError,
    PermissionDeniedError,
    RateLimitError,
    ReceiptNotOpenError,
    ServerError,
    TransportError,
    UnderpaymentError,
)
from clopos_async._pagination import Pager
from clopos_async._protocol import FilterValue
from clopos_async._rate_info import RateLimitInfo
from clopos_async._ratelimit import LimiterBackend, MemoryBackend, Reservation
from clopos_async._settings import ClientOptions
from clopos_async._stats import ClientStats
from clopos_async._version import __version__
from clopos_async._wire import WireDatetime, converter
from clopos_async.models import *  # noqa: F403 - exactly models.__all__, see below

__all__ = [
    "DEFAULT_BASE_URL",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientOptions",
    "ClientStats",
    "ClientValueError",
    "Clock",
    "CloposClient",
    "CloposError",
    "CloseConflictError",
    "CloseRejectedError",
    "ClosedAtNotAfterCreatedError",
    "ConflictError",
    "Credentials",
    "DecodeError",
    "EmptyPaymentsError",
    "FilterValue",
    "GatewayTimeoutError",
    "LimiterBackend",
    "MemoryBackend",
    "NegativeAmountError",
    "NotFoundError",
    "OutcomeUnknownError",
    "OverpaymentError",
    "Pager",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "RateLimitInfo",
    "ReceiptNotOpenError",
    "Reservation",
    "RetryPolicy",
    "ServerError",
    "SystemClock",
    "Token",
    "TokenStore",
    "TransportError",
    "UnderpaymentError",
    "WireDatetime",
    "__version__",
    "converter",
]
# The models' names are listed once, in clopos_async.models (the star import above
# re-exports exactly those, for mypy too). One __all__, sorted as the literal above is:
# constants, then classes, then the rest.
__all__ += models.__all__
__all__.sort(key=lambda name: (not name.isupper(), not name[:1].isupper(), name))

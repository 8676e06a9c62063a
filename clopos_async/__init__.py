"""clopos_async: an asyncio SDK for the Clopos Open API v2.

Import everything from here; the underscored modules are internal.
"""

from __future__ import annotations

from clopos_async._client import CloposClient
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
    OverpaymentError,
    PermissionDeniedError,
    RateLimitError,
    ReceiptNotOpenError,
    ServerError,
    TransportError,
    UnderpaymentError,
)
from clopos_async._pagination import Pager
from clopos_async._pipeline import ClientStats
from clopos_async._rate_info import RateLimitInfo
from clopos_async._ratelimit import LimiterBackend, MemoryBackend
from clopos_async._version import __version__
from clopos_async._wire import converter
from clopos_async.models import (
    CheckCloseEvent,
    ClosedReceipt,
    Modificator,
    OrderStatus,
    Page,
    PaymentMethod,
    ProductSnapshot,
    Receipt,
    ReceiptMeta,
    ReceiptOrderStatus,
    ReceiptProduct,
    ReceiptProductMeta,
    ReceiptProperties,
    ReceiptStatus,
    SaleTypeSnapshot,
    Station,
    UserSnapshot,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CheckCloseEvent",
    "ClientStats",
    "ClientValueError",
    "CloposClient",
    "CloposError",
    "CloseConflictError",
    "CloseRejectedError",
    "ClosedAtNotAfterCreatedError",
    "ClosedReceipt",
    "ConflictError",
    "Credentials",
    "DecodeError",
    "EmptyPaymentsError",
    "GatewayTimeoutError",
    "LimiterBackend",
    "MemoryBackend",
    "Modificator",
    "NegativeAmountError",
    "NotFoundError",
    "OrderStatus",
    "OverpaymentError",
    "Page",
    "Pager",
    "PaymentMethod",
    "PermissionDeniedError",
    "ProductSnapshot",
    "RateLimit",
    "RateLimitError",
    "RateLimitInfo",
    "Receipt",
    "ReceiptMeta",
    "ReceiptNotOpenError",
    "ReceiptOrderStatus",
    "ReceiptProduct",
    "ReceiptProductMeta",
    "ReceiptProperties",
    "ReceiptStatus",
    "RetryPolicy",
    "SaleTypeSnapshot",
    "ServerError",
    "Station",
    "TransportError",
    "UnderpaymentError",
    "UserSnapshot",
    "__version__",
    "converter",
]

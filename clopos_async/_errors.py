"""The one error tree of clopos_async (DESIGN §1).

Every failure a caller can see is a ``CloposError``. aiohttp and tenacity
exceptions never escape: the transport wraps them with ``raise ... from exc``.
No message or repr built here may contain a token or a secret, so codes,
messages and bodies are masked (clopos_async._redact) before they are stored.
"""

from __future__ import annotations

from typing import Any

from clopos_async._rate_info import RateLimitInfo
from clopos_async._redact import PATTERNS_ONLY, Masker


class CloposError(Exception):
    """Base class of every error raised by clopos_async."""


class ClientValueError(CloposError, ValueError):
    """A bad argument, caught before anything was sent."""


class CloseRejectedError(ClientValueError):
    """A close that the client refused to send because the server would reject it."""


class EmptyPaymentsError(CloseRejectedError):
    """No payment methods were given; the API requires at least one (API §9.12)."""


class NegativeAmountError(CloseRejectedError):
    """A payment amount is negative."""


class UnderpaymentError(CloseRejectedError):
    """The payments sum to less than the receipt's total."""


class OverpaymentError(CloseRejectedError):
    """The payments sum to more than the receipt's total."""


class ReceiptNotOpenError(CloseRejectedError):
    """The receipt is not open (status 1), so it cannot be closed."""


class ClosedAtNotAfterCreatedError(CloseRejectedError):
    """``closed_at`` is not later than the receipt's ``created_at`` (API §9.12)."""


class TransportError(CloposError):
    """The exchange failed below HTTP: no usable response arrived.

    ``request_sent`` is False only when the request surely never left (the
    connection could not be made); the exactly-once close relies on it.

    Args:
        reason: what went wrong, e.g. ``could not connect (ClientConnectorError)``.
        method: the HTTP method of the failed request, if known.
        url: the URL of the failed request, if known.
        request_sent: False only when the request surely never left.

    Attributes:
        reason: what went wrong, without the method and URL.
        method: the HTTP method of the failed request ("" if unknown).
        url: the URL of the failed request ("" if unknown).
        request_sent: False only when the request surely never left this process.
    """

    def __init__(
        self, reason: str, *, method: str = "", url: str = "", request_sent: bool = True
    ) -> None:
        self.reason = reason
        self.method = method
        self.url = url
        self.request_sent = request_sent
        where = f" ({method} {url})" if method else ""
        super().__init__(f"{reason}{where}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_transport_error,
            (type(self), self.reason, self.method, self.url, self.request_sent),
        )


def _rebuild_transport_error(
    cls: type[TransportError], reason: str, method: str, url: str, request_sent: bool
) -> TransportError:
    return cls(reason, method=method, url=url, request_sent=request_sent)


class APIConnectionError(TransportError):
    """The connection could not be made, or broke before a response arrived."""


class APITimeoutError(TransportError):
    """One attempt took longer than the client's per-attempt timeout."""


class DecodeError(CloposError):
    """The body was not JSON, or not the documented shape.

    ``path`` names the offending field, for example ``data[3].created_at``.

    Args:
        message: what is wrong with the value.
        path: where in the body, e.g. ``data[3].created_at``; None for the whole body.

    Attributes:
        path: where in the body the offending value is, or None.
        reason: what is wrong with it (the message without the path).
    """

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.reason = message


class BodyNotJSONError(DecodeError):
    """A success status whose body is not JSON at all.

    Almost always a response a proxy cut short. Safe requests retry it like a 5xx
    (API §6.5); the ``success: false`` of a whole body is an ``APIError`` and never retried.
    """


class APIError(CloposError):
    """The API answered with an error (a status >= 400, or ``success: false``).

    Each documented status has its subclass (``BadRequestError``, ``NotFoundError``...);
    code, message and body are masked: no token or secret is stored or shown.

    Args:
        status: the HTTP status.
        code: the error identifier of the body (API §6), if any.
        message: the error message of the body, if any.
        method: the HTTP method of the request.
        url: the URL of the request.
        body: the decoded error body, if any.
        rate_limit: the response's ``RateLimit-*`` headers, if it had them.
        masker: what masks secrets in ``code``, ``message`` and ``body`` (the client's).

    Attributes:
        status: the HTTP status (200 for a ``success: false`` body).
        code: the error identifier (API §6.3), masked, or None.
        message: the error message, masked, or None.
        method: the HTTP method of the request.
        url: the URL of the request.
        body: the decoded error body, masked.
        rate_limit: the response's ``RateLimit-*`` headers, or None.
    """

    def __init__(
        self,
        *,
        status: int,
        code: str | None,
        message: str | None,
        method: str,
        url: str,
        body: Any = None,
        rate_limit: RateLimitInfo | None = None,
        masker: Masker = PATTERNS_ONLY,
    ) -> None:
        # ``masker`` is the client's: it also masks the secrets that client knows (literal
        # values). Everything is masked once, here; the stored fields are safe to show.
        self.status = status
        self.code = None if code is None else masker.text(code)
        self.message = None if message is None else masker.text(message)
        self.method = method
        self.url = url
        self.body = masker.value(body)
        self.rate_limit = rate_limit
        super().__init__(self._describe())

    def _describe(self) -> str:
        code = self.code or "-"
        message = self.message or "(no message)"
        return f"{self.status} {code}: {message} ({self.method} {self.url})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only __init__: teach pickle (multiprocessing workers) how to rebuild us.
        return (_rebuild_api_error, (type(self), self._state()))

    def _state(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "method": self.method,
            "url": self.url,
            "body": self.body,
            "rate_limit": self.rate_limit,
        }


def _rebuild_api_error(cls: type[APIError], state: dict[str, Any]) -> APIError:
    return cls(**state)


class BadRequestError(APIError):
    """HTTP 400: missing or invalid parameters (``invalid_parameter``, ``validation_failed``)."""


class AuthenticationError(APIError):
    """HTTP 401, or ``success: false`` at ``/auth``."""


class PermissionDeniedError(APIError):
    """HTTP 403."""


class NotFoundError(APIError):
    """HTTP 404: the resource does not exist in the targeted brand and venue."""


class ConflictError(APIError):
    """HTTP 409: a duplicate unique field."""


class RateLimitError(APIError):
    """HTTP 429. ``retry_after`` is how many seconds to wait before the next try.

    Args:
        retry_after: the seconds the server asked to wait, if it said.
        **kwargs: the ``APIError`` arguments.

    Attributes:
        retry_after: seconds to wait before the next try, or None if the server did not say.
    """

    def __init__(self, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(**kwargs)

    def _describe(self) -> str:
        text = super()._describe()
        if self.retry_after is None:
            return text
        return f"{text}; retry after {self.retry_after:.1f}s"

    def _state(self) -> dict[str, Any]:
        return {**super()._state(), "retry_after": self.retry_after}


class ServerError(APIError):
    """HTTP 5xx, whatever its body."""


class GatewayTimeoutError(ServerError):
    """HTTP 504: the upstream Clopos API did not answer within 8 seconds."""


class CloseConflictError(CloposError):
    """The receipt is closed, but not with the payments this client sent.

    Raised by ``receipts.close`` when the receipt it finds closed after an ambiguous
    failure (or a 400) carries other payments: someone else closed it.

    Args:
        receipt_id: the receipt.
        expected: the payments this client sent.
        actual: the payments the receipt was closed with.

    Attributes:
        receipt_id: the receipt.
        expected: the payments this client sent.
        actual: the payments the receipt was closed with.
    """

    def __init__(self, receipt_id: int, *, expected: Any, actual: Any) -> None:
        self.receipt_id = receipt_id
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"receipt {receipt_id} was closed by someone else: "
            f"paid {payments_text(expected)} ≠ closed with {payments_text(actual)}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_close_conflict, (self.receipt_id, self.expected, self.actual))


def payments_text(payments: Any) -> str:
    """``2 Cash 8140 + 1 Card 14.64`` (id, name, amount) for a list of payments.

    Duck-typed on ``id``/``name``/``amount`` so that this module needs no models.
    """
    fields = ("id", "name", "amount")
    if isinstance(payments, (str, bytes)) or not isinstance(payments, (list, tuple)):
        return _plain(payments)
    if not all(all(hasattr(p, f) for f in fields) for p in payments):
        return _plain(payments)  # not the documented shape: show it as it is
    if not payments:
        return "nothing"
    return " + ".join(f"{p.id} {p.name} {p.amount}" for p in payments)


def _plain(value: Any) -> str:
    try:
        return repr(value)[:200]
    except Exception:  # a hostile __repr__ must not replace the error being built
        return f"<{type(value).__name__}>"


def _rebuild_close_conflict(receipt_id: int, expected: Any, actual: Any) -> CloseConflictError:
    return CloseConflictError(receipt_id, expected=expected, actual=actual)


class OutcomeUnknownError(CloposError):
    """A non-idempotent write may or may not have happened (DESIGN §2).

    Raised by ``orders.create`` without an ``order_number`` after an ambiguous
    failure (timeout, reset, 5xx): there is nothing to look the order up by, and
    sending again could make a second one. ``cause`` is that failure; ``check``
    says how to find out by hand.

    Args:
        method: the HTTP method of the write.
        path: the path of the write.
        cause: the ambiguous failure.
        check: how to find out by hand whether it took effect.

    Attributes:
        method: the HTTP method of the write.
        path: the path of the write.
        cause: the ambiguous failure (timeout, reset, 5xx).
        check: how to find out by hand whether it took effect.
    """

    def __init__(self, *, method: str, path: str, cause: BaseException, check: str) -> None:
        self.method = method
        self.path = path
        self.cause = cause
        self.check = check
        super().__init__(
            f"{method} {path} may or may not have taken effect "
            f"({type(cause).__name__}: {cause}); it was not sent again. {check}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_outcome_unknown, (self.method, self.path, self.cause, self.check))


def _rebuild_outcome_unknown(
    method: str, path: str, cause: BaseException, check: str
) -> OutcomeUnknownError:
    return OutcomeUnknownError(method=method, path=path, cause=cause, check=check)


#: HTTP status -> the APIError subclass raised for it (5xx handled by range).
ERROR_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
    504: GatewayTimeoutError,
}


def error_class_for_status(status: int) -> type[APIError]:
    """The error class for an HTTP status: exact match first, then any 5xx, else APIError."""
    exact = ERROR_BY_STATUS.get(status)
    if exact is not None:
        return exact
    return ServerError if status >= 500 else APIError

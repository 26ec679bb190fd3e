"""The payments app's errors (rendered by the core envelope handler)."""
from apps.core.errors import ApplicationError, BadGateway, Conflict, NotFound, Unprocessable


class PaymentDeclined(ApplicationError):
    """The card issuer refused the charge; the shopper should use another payment method."""

    status_code = 402
    code = "PAYMENT_DECLINED"
    message = "Your card was declined. Please use a different payment method."


AUTHENTICATION_FAILED = "AUTHENTICATION_FAILED"


class PaymentAuthenticationFailed(PaymentDeclined):
    """The shopper's bank did not authenticate the payment (3-D Secure failed): 402 PAYMENT_DECLINED
    with `decline_code` AUTHENTICATION_FAILED, where a client reads every decline's reason."""

    message = ("Your bank could not authenticate this payment (3-D Secure). Please try again or use a "
               "different payment method.")

    def __init__(self, message: str | None = None):
        super().__init__(message, extra={"decline_code": AUTHENTICATION_FAILED})


class PaymentGatewayUnavailable(BadGateway):
    """Stripe stayed unreachable after every retry, or the circuit breaker is open."""

    code = "PAYMENT_GATEWAY_UNAVAILABLE"
    message = "Payment processing service temporarily unavailable. Please retry."

    def __init__(self, retry_after_seconds: int, message: str | None = None):
        self.retry_after_seconds = retry_after_seconds
        super().__init__(message, extra={"retry_after_seconds": retry_after_seconds},
                         headers={"Retry-After": str(retry_after_seconds)})


class UpstreamTimeout(BadGateway):
    """The internal intents API's single Stripe call timed out (the caller retries, as in the seed)."""

    code = "UPSTREAM_TIMEOUT"

    def __init__(self, timeout_ms: int):
        super().__init__(f"Stripe API did not respond within {timeout_ms}ms",
                         headers={"X-Upstream-Status": "timeout"})


class UpstreamError(BadGateway):
    """Stripe answered the internal intents API with a server error or a rate limit."""

    code = "UPSTREAM_ERROR"

    def __init__(self, upstream_status: int | str):
        super().__init__(f"Stripe API answered {upstream_status}; retry with the same request.",
                         headers={"X-Upstream-Status": str(upstream_status)})


class PaymentNotFound(NotFound):
    code = "PAYMENT_NOT_FOUND"
    message = "No payment exists for this order or intent. Check the id you sent."


class PaymentRequestInvalid(Unprocessable):
    """Stripe rejected the request itself (unknown intent, wrong state, refund too large)."""

    code = "PAYMENT_REQUEST_INVALID"


class RefundNotAllowed(Conflict):
    code = "REFUND_NOT_ALLOWED"
    message = "Only a succeeded payment can be refunded, and never beyond the amount still charged."


class SavedCardNotFound(NotFound):
    code = "PAYMENT_METHOD_NOT_FOUND"
    message = "This payment method is not saved on your account. List yours at GET /api/v1/payment-methods."


class AddressNotFound(NotFound):
    code = "ADDRESS_NOT_FOUND"
    message = "No default shipping address is saved yet; PUT one to /api/v1/addresses/default."

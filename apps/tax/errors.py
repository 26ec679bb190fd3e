"""The tax app's errors (rendered by the core error envelope)."""
from apps.core.errors import ApplicationError, Unprocessable


class TaxServiceUnavailable(ApplicationError):
    """The tax provider (Stripe Tax) could not be reached or answered with a server error after a retry.
    Nothing was charged; the caller may retry after `retry_after_seconds`."""

    status_code = 503
    code = "TAX_SERVICE_UNAVAILABLE"
    message = "Tax calculation is temporarily unavailable. Please retry in a moment."

    def __init__(self, retry_after_seconds: int = 2, message: str | None = None):
        self.retry_after_seconds = retry_after_seconds
        super().__init__(message, extra={"retry_after_seconds": retry_after_seconds},
                         headers={"Retry-After": str(retry_after_seconds)})


class TaxAddressInvalid(Unprocessable):
    """The tax provider cannot place the address in a tax jurisdiction (Stripe's
    `customer_tax_location_invalid`): the shopper must correct the shipping address."""

    code = "TAX_ADDRESS_INVALID"
    message = "We could not determine the tax for this address. Check the country, state and ZIP code."


class TaxRequestInvalid(Unprocessable):
    """The caller passed lines or amounts that cannot be taxed (a programming error in the caller)."""

    code = "TAX_REQUEST_INVALID"


class TaxTransactionRefused(Exception):
    """Stripe refused to record a tax transaction (expired calculation, reference already used with another
    calculation): retrying cannot help; the row keeps the reason for ops. Internal to the tax app."""


class TaxTransactionNotRecorded(Exception):
    """A reversal waits for its original transaction, still pending at Stripe (the reversal task retries).
    Internal to the tax app."""

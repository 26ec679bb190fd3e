"""Returns error codes (the core handler renders them in the one envelope)."""
from apps.core.errors import BadGateway, Conflict, NotFound


class FeatureDisabled(NotFound):
    code = "FEATURE_DISABLED"
    message = "Self-service returns are not available yet. Contact customer support to return an item."


class OrderNotFound(NotFound):
    code = "ORDER_NOT_FOUND"
    message = ("No order matches these details. Check the order id, the email used at checkout and the "
               "confirmation token from the confirmation email, or sign in with the account that placed it.")


class ReturnNotFound(NotFound):
    code = "RETURN_NOT_FOUND"
    message = ("No return matches this id and these details. Sign in with the account that placed the order "
               "or pass the order's email and confirmation_token.")


class LabelLinkInvalid(NotFound):
    code = "LABEL_LINK_INVALID"
    message = "This label link is invalid or has expired. Open the return again to get a fresh link."


class ReturnNotCancellable(Conflict):
    code = "RETURN_NOT_CANCELLABLE"
    message = "This return can no longer be cancelled: its package is already on its way or received."


class InvalidTransition(Conflict):
    code = "INVALID_TRANSITION"
    message = "The return is not in a state that allows this change."


class LabelProviderError(BadGateway):
    """Raised by label providers; callers keep the return in `requested` and retry later."""

    code = "LABEL_PROVIDER_UNAVAILABLE"
    message = "The shipping label provider did not answer. The label will be retried automatically."


class RefundFailed(BadGateway):
    code = "REFUND_FAILED"
    message = "The refund could not be issued through the payment service; it will be listed for ops."

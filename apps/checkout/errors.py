"""Error codes of the checkout app (rendered by the core envelope)."""
from apps.core.errors import ApplicationError


class CartNotFound(ApplicationError):
    status_code = 404
    code = "CART_NOT_FOUND"

    def __init__(self, cart_id: str):
        super().__init__(f"Cart {cart_id} does not exist or has expired")


class CartItemNotFound(ApplicationError):
    status_code = 404
    code = "CART_ITEM_NOT_FOUND"

    def __init__(self, cart_id: str, product_id: str):
        super().__init__(f"Cart {cart_id} has no item {product_id}. GET the cart to see its items.")


class CartVersionConflict(ApplicationError):
    """The client's `If-Match` names an older version; the body carries the current cart."""

    status_code = 409
    code = "CART_VERSION_CONFLICT"
    message = "The cart changed since you last read it. Review the current cart below and retry with its version."


class CartLocked(ApplicationError):
    status_code = 409
    code = "CART_ALREADY_ORDERED"
    message = "This cart belongs to an order and can no longer change. Start a new cart."


class ProductUnavailable(ApplicationError):
    status_code = 409
    code = "PRODUCT_UNAVAILABLE"
    message = "Some products are not for sale. Remove them from the cart."


class SessionExpired(ApplicationError):
    status_code = 404
    code = "SESSION_EXPIRED"
    message = "Guest session has expired. Please start a new checkout."


class SessionTokenInvalid(ApplicationError):
    status_code = 401
    code = "UNAUTHORIZED"
    message = "Send the session token issued with this session as 'Authorization: Bearer <token>'."


class SessionConflict(ApplicationError):
    status_code = 409
    code = "SESSION_CONFLICT"
    message = "The session is being changed by another request. Retry in a moment."


class SessionCartMismatch(ApplicationError):
    status_code = 422
    code = "SESSION_CART_MISMATCH"
    message = "This guest session belongs to another cart. Omit session_id or use the session of this cart."


class CheckoutInProgress(ApplicationError):
    status_code = 409
    code = "CHECKOUT_IN_PROGRESS"
    message = "A checkout of this cart is already running. Retry in a moment with the same Idempotency-Key."


class OrderNotFound(ApplicationError):
    status_code = 404
    code = "ORDER_NOT_FOUND"
    message = "No such order, or it is not yours. Check the order id (and the email and confirmation token for guests)."


class OrderLineNotFound(ApplicationError):
    status_code = 404
    code = "ORDER_LINE_NOT_FOUND"
    message = "This order has no such line among your products. List your lines with GET /api/v1/merchant/orders."


class FulfillmentNotFound(ApplicationError):
    status_code = 404
    code = "FULFILLMENT_NOT_FOUND"
    message = "This order has no such fulfillment of yours. Use the fulfillment_id returned when you created it."


class OrderNotFulfillable(ApplicationError):
    status_code = 422
    code = "ORDER_NOT_FULFILLABLE"
    message = "Only paid orders can be fulfilled; this one is not (unpaid, cancelled or refunded)."


class OrderAlreadyShipped(ApplicationError):
    status_code = 409
    code = "ORDER_ALREADY_SHIPPED"
    message = ("Part of this order has already shipped, so it can no longer be cancelled. "
               "Start a return instead with POST /api/v1/returns once it arrives.")


class OrderNotCancellable(ApplicationError):
    status_code = 409
    code = "ORDER_NOT_CANCELLABLE"
    message = "Only a paid order can be cancelled; this one is not paid (or is already refunded)."


class OrderBusy(ApplicationError):
    status_code = 409
    code = "ORDER_BUSY"
    message = "Another change to this order is running. Retry in a moment."

"""Error codes of the checkout app (rendered by the core envelope)."""
from apps.core.errors import Conflict, NotFound, Unauthorized, Unprocessable


class CartNotFound(NotFound):
    code = "CART_NOT_FOUND"

    def __init__(self, cart_id: str):
        super().__init__(f"Cart {cart_id} does not exist or has expired")


class CartItemNotFound(NotFound):
    code = "CART_ITEM_NOT_FOUND"

    def __init__(self, cart_id: str, product_id: str):
        super().__init__(f"Cart {cart_id} has no item {product_id}. GET the cart to see its items.")


class CartVersionConflict(Conflict):
    """The client's `If-Match` names an older version; the body carries the current cart."""

    code = "CART_VERSION_CONFLICT"
    message = "The cart changed since you last read it. Review the current cart below and retry with its version."


class CartLocked(Conflict):
    code = "CART_ALREADY_ORDERED"
    message = "This cart belongs to an order and can no longer change. Start a new cart."


class ProductUnavailable(Conflict):
    code = "PRODUCT_UNAVAILABLE"
    message = "Some products are not for sale. Remove them from the cart."


class SessionExpired(NotFound):
    code = "SESSION_EXPIRED"
    message = "Guest session has expired. Please start a new checkout."


class SessionTokenInvalid(Unauthorized):
    code = "SESSION_TOKEN_INVALID"
    message = "Send the session token issued with this session as 'Authorization: Bearer <token>'."


class SessionConflict(Conflict):
    code = "SESSION_CONFLICT"
    message = "The session is being changed by another request. Retry in a moment."


class SessionCartMismatch(Unprocessable):
    code = "SESSION_CART_MISMATCH"
    message = "This guest session belongs to another cart. Omit session_id or use the session of this cart."


class CartAlreadyCheckedOut(Conflict):
    code = "CART_ALREADY_CHECKED_OUT"
    message = ("This cart has already been checked out. Only the client that placed the order can see it again: "
               "resend with the same Idempotency-Key, or with the order's guest session token as "
               "'Authorization: Bearer <token>'. Otherwise start a new cart.")


class CheckoutInProgress(Conflict):
    code = "CHECKOUT_IN_PROGRESS"
    message = "A checkout of this cart is already running. Retry in a moment with the same Idempotency-Key."


class ExpressNotFound(NotFound):
    code = "EXPRESS_CHECKOUT_NOT_FOUND"
    message = "This express checkout does not exist or has ended. Start it again from the product or cart page."


class ExpressWindowOpen(Conflict):
    code = "EXPRESS_WINDOW_OPEN"
    message = "The confirmation window is still open; the order is placed when it ends."


class OrderNotFound(NotFound):
    code = "ORDER_NOT_FOUND"
    message = "No such order, or it is not yours. Check the order id (and the email and confirmation token for guests)."


class OrderLineNotFound(NotFound):
    code = "ORDER_LINE_NOT_FOUND"
    message = "This order has no such line among your products. List your lines with GET /api/v1/merchant/orders."


class FulfillmentNotFound(NotFound):
    code = "FULFILLMENT_NOT_FOUND"
    message = "This order has no such fulfillment of yours. Use the fulfillment_id returned when you created it."


class OrderNotFulfillable(Unprocessable):
    code = "ORDER_NOT_FULFILLABLE"
    message = "Only paid orders can be fulfilled; this one is not (unpaid, cancelled or refunded)."


class OrderAlreadyShipped(Conflict):
    code = "ORDER_ALREADY_SHIPPED"
    message = ("Part of this order has already shipped, so it can no longer be cancelled. "
               "Start a return instead with POST /api/v1/returns once it arrives.")


class OrderNotCancellable(Conflict):
    code = "ORDER_NOT_CANCELLABLE"
    message = "Only a paid order can be cancelled; this one is not paid (or is already refunded)."


class OrderBusy(Conflict):
    code = "ORDER_BUSY"
    message = "Another change to this order is running. Retry in a moment."

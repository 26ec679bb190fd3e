"""What the local server's object modules share: Stripe's test-card outcomes, ids and error bodies."""
import secrets

AUTHENTICATION_FAILURE = {
    "type": "card_error", "code": "payment_intent_authentication_failure",
    "message": "We are unable to authenticate your payment method. Please choose a different payment method "
               "and try again.",
}
DECLINES = {
    "pm_card_chargeDeclined": ("card_declined", "generic_decline", "Your card was declined."),
    "pm_card_chargeDeclinedInsufficientFunds": (
        "card_declined", "insufficient_funds", "Your card has insufficient funds."),
    "pm_card_chargeDeclinedExpiredCard": ("expired_card", "expired_card", "Your card has expired."),
}


def new_id(prefix: str) -> str:
    return f"{prefix}_" + secrets.token_hex(12)


def error(status: int, kind: str, message: str, *, code: str = "", param: str = "", **extra) -> tuple[int, dict]:
    body = {"type": kind, "message": message}
    if code:
        body["code"] = code
    if param:
        body["param"] = param
    body.update(extra)
    return status, {"error": body}


def missing(kind: str, object_id: str) -> tuple[int, dict]:
    return error(404, "invalid_request_error", f"No such {kind}: '{object_id}'", code="resource_missing", param="id")

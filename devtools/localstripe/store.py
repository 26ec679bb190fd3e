"""In-memory Stripe objects and the rules the real API applies to them.

Each handler takes decoded params and returns `(status, body)`; errors use Stripe's
`{"error": {type, code, message, param, ...}}` shape. Stripe's test payment methods behave as
documented: `pm_card_visa` is a Visa 4242, `pm_card_chargeDeclined` is declined, `pm_card_threeDSecure2Required`
and `pm_card_authenticationRequired` (4000 0027 6000 3184) need 3-D Secure (`requires_action` with
`next_action.type = "use_stripe_sdk"` until `intent_authenticate` completes or fails it); any other
`pm_…` id is accepted as a Visa 4242 (so ids like `pm_stripe_4f9c2a1b` work), and ids containing
`apple_pay` are cards in an Apple Pay wallet. `forced_statuses` makes the next confirmations end in a
chosen status (`processing`, `requires_capture`, `canceled`, …) that no test card produces.
"""
import secrets
import threading
import time

from .objects import AUTHENTICATION_FAILURE, DECLINES, error, missing
from .objects import new_id as _id
from .setup_intents import SetupIntents
from .tax import TaxCalculations

__all__ = ["Store", "FORCEABLE_STATUSES", "error", "missing"]

CARDS = {
    "pm_card_visa": ("visa", "4242"),
    "pm_card_mastercard": ("mastercard", "4444"),
    "pm_card_amex": ("amex", "8431"),
    "pm_card_discover": ("discover", "1117"),
    "pm_card_threeDSecure2Required": ("visa", "3220"),
    "pm_card_authenticationRequired": ("visa", "3184"),
}
AUTHENTICATION_REQUIRED = {"pm_card_threeDSecure2Required", "pm_card_authenticationRequired"}
FORCEABLE_STATUSES = ("succeeded", "requires_action", "processing", "requires_payment_method", "requires_capture",
                      "canceled")
def _amount(params: dict) -> int | None:
    try:
        value = int(params.get("amount", ""))
    except ValueError:
        return None
    return value if value > 0 else None


class Store(SetupIntents, TaxCalculations):
    """All objects of one server; a lock keeps concurrent requests consistent."""

    def __init__(self):
        self.lock = threading.RLock()
        self.intents: dict[str, dict] = {}
        self.charges: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.disputes: dict[str, dict] = {}
        self.setup_intents: dict[str, dict] = {}
        self.customers: dict[str, dict] = {}
        self.methods: dict[str, dict] = {}
        self.tax_calculations: dict[str, dict] = {}
        self.tax_line_items: dict[str, list[dict]] = {}
        self.tax_transactions: dict[str, dict] = {}
        self.tax_transaction_line_items: dict[str, list[dict]] = {}
        self.events: list[tuple[str, dict]] = []
        self.forced_statuses: list[str] = []
        self.authentication_required: set[str] = set(AUTHENTICATION_REQUIRED)  # incl. saved copies of those cards

    def emit(self, event_type: str, obj: dict) -> None:
        self.events.append((event_type, dict(obj)))

    # --- payment methods ------------------------------------------------------------------
    def payment_method(self, pm_id: str, *, materialize: bool = False) -> dict | None:
        """The stored method, or a new one for a test/client-side id (Stripe mints a new id for `pm_card_*`)."""
        if pm_id in self.methods:
            return self.methods[pm_id]
        if not pm_id.startswith("pm_"):
            return None
        brand, last4 = CARDS.get(pm_id, ("visa", "4242"))
        if pm_id in DECLINES:
            brand, last4 = "visa", "0002"
        wallet = {"type": "apple_pay", "apple_pay": {}} if "apple_pay" in pm_id else None
        new_id = _id("pm") if materialize and pm_id.startswith("pm_card_") else pm_id
        if pm_id in self.authentication_required:
            self.authentication_required.add(new_id)
        method = {
            "id": new_id, "object": "payment_method", "type": "card", "created": int(time.time()),
            "customer": None, "livemode": False, "metadata": {},
            "billing_details": {"address": None, "email": None, "name": None, "phone": None},
            "card": {"brand": brand, "last4": last4, "exp_month": 12, "exp_year": 2034, "funding": "credit",
                     "country": "US", "wallet": wallet},
        }
        if materialize or pm_id not in CARDS:
            self.methods[new_id] = method
        return method

    def attach(self, pm_id: str, params: dict) -> tuple[int, dict]:
        customer = params.get("customer", "")
        if customer not in self.customers:
            return missing("customer", customer)
        method = self.payment_method(pm_id, materialize=True)
        if method is None:
            return missing("payment_method", pm_id)
        method["customer"] = customer
        self.emit("payment_method.attached", method)
        return 200, method

    def detach(self, pm_id: str) -> tuple[int, dict]:
        method = self.methods.get(pm_id)
        if method is None:
            return missing("payment_method", pm_id)
        method["customer"] = None
        return 200, method

    def list_methods(self, customer: str) -> tuple[int, dict]:
        data = [m for m in self.methods.values() if customer and m["customer"] == customer]
        data.sort(key=lambda m: m["created"], reverse=True)
        return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/payment_methods"}

    # --- customers -------------------------------------------------------------------------
    def customer_create(self, params: dict) -> tuple[int, dict]:
        customer = {
            "id": _id("cus"), "object": "customer", "created": int(time.time()), "livemode": False,
            "email": params.get("email"), "name": params.get("name"), "metadata": params.get("metadata", {}),
            "invoice_settings": {"default_payment_method": None},
        }
        self.customers[customer["id"]] = customer
        return 200, customer

    def customer_update(self, customer_id: str, params: dict) -> tuple[int, dict]:
        customer = self.customers.get(customer_id)
        if customer is None:
            return missing("customer", customer_id)
        for key in ("email", "name"):
            if key in params:
                customer[key] = params[key]
        customer["metadata"].update(params.get("metadata", {}))
        default = params.get("invoice_settings", {}).get("default_payment_method")
        if default is not None:
            customer["invoice_settings"]["default_payment_method"] = default or None
        return 200, customer

    # --- payment intents -------------------------------------------------------------------
    def intent_create(self, params: dict) -> tuple[int, dict]:
        amount = _amount(params)
        if amount is None:
            return error(400, "invalid_request_error", "Missing or invalid required param: amount.",
                         code="parameter_missing", param="amount")
        if not params.get("currency"):
            return error(400, "invalid_request_error", "Missing required param: currency.",
                         code="parameter_missing", param="currency")
        intent_id = _id("pi")
        pm_id = params.get("payment_method") or None
        intent = {
            "id": intent_id, "object": "payment_intent", "amount": amount, "amount_capturable": 0,
            "amount_received": 0, "capture_method": "automatic", "confirmation_method": "automatic",
            "client_secret": f"{intent_id}_secret_{secrets.token_hex(12)}", "created": int(time.time()),
            "currency": params["currency"].lower(), "customer": params.get("customer") or None,
            "description": params.get("description"), "last_payment_error": None, "latest_charge": None,
            "livemode": False, "metadata": params.get("metadata", {}), "next_action": None,
            "payment_method": pm_id, "payment_method_types": params.get("payment_method_types") or ["card"],
            "receipt_email": params.get("receipt_email"), "canceled_at": None,
            "status": "requires_confirmation" if pm_id else "requires_payment_method",
        }
        self.intents[intent_id] = intent
        self.emit("payment_intent.created", intent)
        if str(params.get("confirm", "")).lower() == "true":
            return self._confirm(intent, params)
        return 200, intent

    def intent_confirm(self, intent_id: str, params: dict) -> tuple[int, dict]:
        intent = self.intents.get(intent_id)
        if intent is None:
            return missing("payment_intent", intent_id)
        return self._confirm(intent, params)

    def intent_update(self, intent_id: str, params: dict) -> tuple[int, dict]:
        intent = self.intents.get(intent_id)
        if intent is None:
            return missing("payment_intent", intent_id)
        intent["metadata"].update(params.get("metadata", {}))
        return 200, intent

    def intent_cancel(self, intent_id: str) -> tuple[int, dict]:
        intent = self.intents.get(intent_id)
        if intent is None:
            return missing("payment_intent", intent_id)
        if intent["status"] in ("succeeded", "processing", "canceled"):
            return error(400, "invalid_request_error", "You cannot cancel this PaymentIntent because it has a "
                         f"status of {intent['status']}.", code="payment_intent_unexpected_state")
        intent.update(status="canceled", canceled_at=int(time.time()), next_action=None)
        self.emit("payment_intent.canceled", intent)
        return 200, intent

    def _confirm(self, intent: dict, params: dict) -> tuple[int, dict]:
        if intent["status"] not in ("requires_confirmation", "requires_payment_method"):
            return error(400, "invalid_request_error",
                         f"This PaymentIntent's status is {intent['status']}, so it cannot be confirmed.",
                         code="payment_intent_unexpected_state", payment_intent=intent)
        pm_id = params.get("payment_method") or intent["payment_method"]
        method = self.payment_method(pm_id) if pm_id else None
        if method is None:
            return error(400, "invalid_request_error", "You must provide a payment method to confirm.",
                         code="payment_intent_unexpected_state", param="payment_method")
        intent["payment_method"] = method["id"]
        forced = self.forced_statuses.pop(0) if self.forced_statuses else ""
        if forced and forced != "succeeded":
            return 200, self._force(intent, method, forced)
        if method["id"] in self.authentication_required and not forced:
            intent.update(status="requires_action", last_payment_error=None, next_action={
                "type": "use_stripe_sdk",
                "use_stripe_sdk": {"type": "three_d_secure_redirect", "stripe_js": "", "source": method["id"]}})
            self.emit("payment_intent.requires_action", intent)
            return 200, intent
        charge = self._charge(intent, method)
        if pm_id in DECLINES:
            code, decline_code, message = DECLINES[pm_id]
            charge.update(status="failed", paid=False, captured=False, failure_code=code, failure_message=message,
                          outcome={"type": "issuer_declined", "network_status": "declined_by_network"})
            last_error = {"type": "card_error", "code": code, "decline_code": decline_code, "message": message,
                          "charge": charge["id"], "payment_method": method}
            intent.update(status="requires_payment_method", last_payment_error=last_error,
                          latest_charge=charge["id"])
            self.emit("payment_intent.payment_failed", intent)
            return error(402, "card_error", message, code=code, decline_code=decline_code, charge=charge["id"],
                         payment_intent=intent, payment_method=method)
        return 200, self._succeed(intent, charge)

    def _succeed(self, intent: dict, charge: dict) -> dict:
        intent.update(status="succeeded", amount_received=intent["amount"], latest_charge=charge["id"],
                      last_payment_error=None, next_action=None)
        self.emit("charge.succeeded", charge)
        self.emit("payment_intent.succeeded", intent)
        return intent

    def _force(self, intent: dict, method: dict, status: str) -> dict:
        """End a confirmation in `status` as Stripe could report it (see `forced_statuses`)."""
        intent["status"] = status
        if status == "requires_action":
            intent["next_action"] = {"type": "use_stripe_sdk", "use_stripe_sdk": {"type": "three_d_secure_redirect"}}
            self.emit("payment_intent.requires_action", intent)
        elif status == "processing":
            self.emit("payment_intent.processing", intent)
        elif status == "requires_capture":
            charge = self._charge(intent, method)
            charge.update(captured=False, amount_captured=0)
            intent.update(amount_capturable=intent["amount"], latest_charge=charge["id"])
            self.emit("payment_intent.amount_capturable_updated", intent)
        elif status == "canceled":
            intent["canceled_at"] = int(time.time())
            self.emit("payment_intent.canceled", intent)
        elif status == "requires_payment_method":
            intent["last_payment_error"] = {"type": "card_error", "code": "card_declined",
                                            "decline_code": "generic_decline", "message": "Your card was declined."}
            self.emit("payment_intent.payment_failed", intent)
        return intent

    def intent_authenticate(self, intent_id: str, outcome: str) -> tuple[int, dict]:
        """What the shopper's answer to the 3-D Secure challenge does: `complete` charges the card,
        `fail` leaves the intent `requires_payment_method` with Stripe's authentication failure."""
        if intent_id in self.setup_intents:
            return self._setup_authenticate(self.setup_intents[intent_id], outcome)
        intent = self.intents.get(intent_id)
        if intent is None:
            return missing("payment_intent", intent_id)
        if intent["status"] != "requires_action":
            return error(400, "invalid_request_error", f"This PaymentIntent's status is {intent['status']}, so "
                         "there is no authentication to answer.", code="payment_intent_unexpected_state")
        if outcome == "complete":
            method = self.payment_method(intent["payment_method"])
            return 200, self._succeed(intent, self._charge(intent, method))
        if outcome != "fail":
            return error(400, "invalid_request_error", "outcome must be 'complete' or 'fail'.", param="outcome")
        intent.update(status="requires_payment_method", next_action=None,
                      last_payment_error={**AUTHENTICATION_FAILURE, "payment_method": intent["payment_method"]})
        self.emit("payment_intent.payment_failed", intent)
        return 200, intent

    def _charge(self, intent: dict, method: dict) -> dict:
        charge = {
            "id": _id("ch"), "object": "charge", "amount": intent["amount"], "amount_captured": intent["amount"],
            "amount_refunded": 0, "captured": True, "created": int(time.time()), "currency": intent["currency"],
            "customer": intent["customer"], "livemode": False, "metadata": dict(intent["metadata"]), "paid": True,
            "payment_intent": intent["id"], "payment_method": method["id"], "refunded": False, "status": "succeeded",
            "failure_code": None, "failure_message": None, "outcome": {"type": "authorized", "network_status":
                                                                     "approved_by_network"},
            "payment_method_details": {"type": "card", "card": dict(method["card"])},
            "receipt_email": intent["receipt_email"],
        }
        self.charges[charge["id"]] = charge
        return charge

    # --- refunds -----------------------------------------------------------------------------
    def refund_create(self, params: dict) -> tuple[int, dict]:
        intent = self.intents.get(params.get("payment_intent", ""))
        charge = self.charges.get(params.get("charge") or (intent or {}).get("latest_charge") or "")
        if charge is None or charge["status"] != "succeeded":
            return error(400, "invalid_request_error", "This PaymentIntent does not have a successful charge to "
                         "refund.", code="charge_not_refundable", param="payment_intent")
        remaining = charge["amount"] - charge["amount_refunded"]
        amount = _amount(params) if "amount" in params else remaining
        if amount is None or amount > remaining:
            code = "charge_already_refunded" if remaining == 0 else "amount_too_large"
            return error(400, "invalid_request_error", f"Refund amount ({amount}) is greater than unrefunded "
                         f"amount on charge ({remaining})", code=code, param="amount")
        refund = {
            "id": _id("re"), "object": "refund", "amount": amount, "charge": charge["id"],
            "created": int(time.time()), "currency": charge["currency"], "metadata": params.get("metadata", {}),
            "payment_intent": charge["payment_intent"], "reason": params.get("reason"), "status": "succeeded",
        }
        self.refunds[refund["id"]] = refund
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        charge["refunds"] = {"object": "list", "has_more": False, "url": f"/v1/charges/{charge['id']}/refunds",
                             "data": [r for r in self.refunds.values() if r["charge"] == charge["id"]]}
        self.emit("charge.refunded", charge)
        return 200, refund

    # --- disputes (made by the control API: on Stripe the cardholder's bank opens them) -----------
    def dispute_create(self, charge_id: str, reason: str = "fraudulent") -> tuple[int, dict]:
        charge = self.charges.get(charge_id)
        if charge is None or charge["status"] != "succeeded":
            return missing("charge", charge_id)
        dispute = {
            "id": _id("dp"), "object": "dispute", "amount": charge["amount"] - charge["amount_refunded"],
            "charge": charge["id"], "currency": charge["currency"], "created": int(time.time()),
            "evidence_details": {"due_by": int(time.time()) + 7 * 86400, "has_evidence": False},
            "is_charge_refundable": False, "livemode": False, "metadata": {},
            "payment_intent": charge["payment_intent"], "reason": reason, "status": "needs_response",
        }
        self.disputes[dispute["id"]] = dispute
        charge["disputed"] = True
        self.emit("charge.dispute.created", dispute)
        return 200, dispute

    def dispute_close(self, dispute_id: str, status: str) -> tuple[int, dict]:
        dispute = self.disputes.get(dispute_id)
        if dispute is None:
            return missing("dispute", dispute_id)
        if status not in ("won", "lost"):
            return error(400, "invalid_request_error", "status must be 'won' or 'lost'.", param="status")
        dispute["status"] = status
        self.emit("charge.dispute.closed", dispute)
        return 200, dispute

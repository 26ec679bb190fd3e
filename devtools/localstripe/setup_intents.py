"""SetupIntents of the local Stripe server: saving a card for later (`usage=off_session`), with the same
3-D Secure behaviour as PaymentIntents (the authentication test cards answer `requires_action` until
`/_control/authenticate` completes or fails it; declining test cards are refused). Mixed into `Store`."""
import secrets
import time

from .objects import AUTHENTICATION_FAILURE, DECLINES, error, missing, new_id


class SetupIntents:
    """Needs the Store's `customers`, `methods`, `setup_intents`, `authentication_required`,
    `payment_method()` and `emit()`."""

    def setup_intent_create(self, params: dict) -> tuple[int, dict]:
        customer = params.get("customer") or None
        if customer and customer not in self.customers:
            return missing("customer", customer)
        setup_id = new_id("seti")
        setup = {
            "id": setup_id, "object": "setup_intent", "client_secret": f"{setup_id}_secret_{secrets.token_hex(12)}",
            "created": int(time.time()), "customer": customer, "last_setup_error": None, "livemode": False,
            "metadata": params.get("metadata", {}), "next_action": None, "payment_method": None,
            "payment_method_types": params.get("payment_method_types") or ["card"],
            "status": "requires_payment_method", "usage": params.get("usage") or "off_session",
        }
        self.setup_intents[setup_id] = setup
        pm_id = params.get("payment_method") or ""
        if pm_id:
            method = self.payment_method(pm_id, materialize=True)
            if method is None:
                return missing("payment_method", pm_id)
            setup.update(payment_method=method["id"], status="requires_confirmation")
        if str(params.get("confirm", "")).lower() == "true" and pm_id:
            return self._setup_confirm(setup, pm_id)
        return 200, setup

    def _setup_confirm(self, setup: dict, pm_id: str) -> tuple[int, dict]:
        if pm_id in DECLINES:
            code, decline_code, message = DECLINES[pm_id]
            setup.update(status="requires_payment_method", last_setup_error={
                "type": "card_error", "code": code, "decline_code": decline_code, "message": message})
            self.emit("setup_intent.setup_failed", setup)
            return error(402, "card_error", message, code=code, decline_code=decline_code, setup_intent=setup)
        if setup["payment_method"] in self.authentication_required:
            setup.update(status="requires_action", next_action={
                "type": "use_stripe_sdk", "use_stripe_sdk": {"type": "three_d_secure_redirect"}})
            self.emit("setup_intent.requires_action", setup)
            return 200, setup
        return 200, self._setup_succeed(setup)

    def _setup_succeed(self, setup: dict) -> dict:
        setup.update(status="succeeded", next_action=None, last_setup_error=None)
        method = self.methods[setup["payment_method"]]
        if setup["customer"]:
            method["customer"] = setup["customer"]
            self.emit("payment_method.attached", method)
        self.emit("setup_intent.succeeded", setup)
        return setup

    def _setup_authenticate(self, setup: dict, outcome: str) -> tuple[int, dict]:
        if setup["status"] != "requires_action":
            return error(400, "invalid_request_error", f"This SetupIntent's status is {setup['status']}, so "
                         "there is no authentication to answer.", code="setup_intent_unexpected_state")
        if outcome == "complete":
            return 200, self._setup_succeed(setup)
        if outcome != "fail":
            return error(400, "invalid_request_error", "outcome must be 'complete' or 'fail'.", param="outcome")
        setup.update(status="requires_payment_method", next_action=None, last_setup_error={
            **AUTHENTICATION_FAILURE, "code": "setup_intent_authentication_failure"})
        self.emit("setup_intent.setup_failed", setup)
        return 200, setup

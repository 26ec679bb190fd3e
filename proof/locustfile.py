"""The load's shopper: one guest session after another, each created, kept alive and then completed
or abandoned. Usable by itself: `locust -f proof/locustfile.py --host http://127.0.0.1:18080`.

A shopper (1) creates a cart and a guest session, (2) renews it by activity every `renew_seconds`
(alternating GET and PATCH), (3) after `hold_seconds` checks out with a test card (`pm_card_visa`,
one `Idempotency-Key` per order, retried on 5xx/429/network errors as the 502 contract asks) or
abandons it, then starts over. Every shopper has its own client IP (`X-Forwarded-For`, one trusted
hop), as real shoppers do, so per-IP rate limits apply per shopper.

`LEDGER` keeps what the client saw: every session (and whether a read ever said it was gone while its
TTL had not run out) and every order answered 201. Tunables come from `PROOF_*` environment variables.
"""
import itertools
import os
import random
import time
import uuid

from locust import HttpUser, task

HOLD_SECONDS = float(os.environ.get("PROOF_HOLD_SECONDS", "600"))
RENEW_SECONDS = float(os.environ.get("PROOF_RENEW_SECONDS", "60"))
COMPLETE_RATIO = float(os.environ.get("PROOF_COMPLETE_RATIO", "0.25"))
SESSION_TTL_SECONDS = float(os.environ.get("PROOF_SESSION_TTL_SECONDS", "900"))
CHECKOUT_RETRY_SECONDS = float(os.environ.get("PROOF_CHECKOUT_RETRY_SECONDS", "240"))
PRODUCTS = os.environ.get("PROOF_PRODUCTS", "prod_cable_usbc,prod_monitor_32in").split(",")
ADDRESS = {"line1": "742 Evergreen Terrace", "city": "Springfield", "state": "IL", "zip": "62704", "country": "US"}
RETRYABLE = {0, 429, 500, 502, 503, 504}

LEDGER: dict = {"sessions": {}, "orders": {}, "checkout_gave_up": []}
_client_numbers = itertools.count(1)


def client_ip(number: int) -> str:
    return f"10.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255}"


def error_code(response) -> str:
    try:
        return str(response.json().get("error", ""))
    except ValueError:
        return ""


class GuestShopper(HttpUser):
    """One concurrent guest session at a time, for as long as the run lasts."""

    def on_start(self) -> None:
        self.ip = client_ip(next(_client_numbers))
        self.client.headers.update({"X-Forwarded-For": self.ip, "Accept": "application/json"})

    @task
    def one_session(self) -> None:
        session = self.session_start()
        if session is None:
            time.sleep(min(RENEW_SECONDS, 5))
            return
        ends_at = session["created"] + HOLD_SECONDS * random.uniform(0.8, 1.2)
        time.sleep(random.uniform(0, RENEW_SECONDS))  # spread the renewals of a ramp-up wave
        step = 0
        while time.time() + RENEW_SECONDS < ends_at:
            self.session_touch(session, patch=step % 2 == 1)
            step += 1
            time.sleep(RENEW_SECONDS * random.uniform(0.9, 1.1))
        if random.random() < COMPLETE_RATIO:
            self.checkout(session)
        else:
            session["state"] = "abandoned"

    def session_start(self) -> dict | None:
        with self.client.post("/api/v1/carts", json={"items": [{"product_id": random.choice(PRODUCTS), "quantity": 1}]},
                              name="POST /api/v1/carts", catch_response=True) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}")
                return None
            cart_id = response.json()["cart_id"]
        email = f"shopper-{uuid.uuid4().hex[:10]}@example.com"
        with self.client.post("/api/v2/checkout/guest/session", json={"cart_id": cart_id, "email": email},
                              name="POST /api/v2/checkout/guest/session", catch_response=True) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}")
                return None
            body = response.json()
        session = {"session_id": body["session_id"], "token": body["session_token"], "cart_id": cart_id,
                   "email": email, "ip": self.ip, "created": time.time(), "last_ok": time.time(),
                   "state": "open", "lost": False}
        LEDGER["sessions"][session["session_id"]] = session
        return session

    def session_touch(self, session: dict, *, patch: bool) -> None:
        url = f"/api/v2/checkout/guest/session/{session['session_id']}"
        headers = {"Authorization": f"Bearer {session['token']}"}
        if patch:
            request = self.client.patch(url, json={"shipping_address": ADDRESS}, headers=headers,
                                        name="PATCH /api/v2/checkout/guest/session/{id}", catch_response=True)
        else:
            request = self.client.get(url, headers=headers, name="GET /api/v2/checkout/guest/session/{id}",
                                      catch_response=True)
        with request as response:
            if response.status_code == 200:
                session["last_ok"] = time.time()
            elif response.status_code == 404 and time.time() - session["last_ok"] < SESSION_TTL_SECONDS:
                session["lost"] = True  # gone although renewed within its TTL
                response.failure("session lost")
            else:
                response.failure(f"{response.status_code}")

    def checkout(self, session: dict) -> None:
        body = {"cart_id": session["cart_id"], "email": session["email"], "shipping_address": ADDRESS,
                "payment_method_id": "pm_card_visa", "session_id": session["session_id"]}
        headers = {"Idempotency-Key": f"proof-{uuid.uuid4()}", "Authorization": f"Bearer {session['token']}"}
        deadline = time.time() + CHECKOUT_RETRY_SECONDS
        while True:
            with self.client.post("/api/v2/checkout/guest", json=body, headers=headers,
                                  name="POST /api/v2/checkout/guest", catch_response=True) as response:
                status = response.status_code
                if status == 201:
                    order = response.json()
                    LEDGER["orders"][order["order_id"]] = {"session_id": session["session_id"],
                                                           "total": str(order["total_charged"]), "at": time.time()}
                    session.update(state="completed", order_id=order["order_id"])
                    return
                response.failure(f"{status}")
                error = error_code(response)
            if status not in RETRYABLE or time.time() > deadline:
                LEDGER["checkout_gave_up"].append({"session_id": session["session_id"], "status": status,
                                                   "error": error})
                session["state"] = "checkout_failed"
                return
            retry_after = float(response.headers.get("Retry-After") or 2)
            time.sleep(min(max(retry_after, 1.0), 10.0) * random.uniform(1.0, 1.5))

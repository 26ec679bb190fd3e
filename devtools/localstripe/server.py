"""The local Stripe-compatible HTTP server: `python -m devtools.localstripe.server --port 12111`.

Stripe API subset (form-encoded requests, JSON responses, `Authorization: Bearer sk_…` required):
  POST /v1/payment_intents, GET|POST /v1/payment_intents/{id}, POST /v1/payment_intents/{id}/confirm|cancel,
  POST /v1/setup_intents, GET /v1/setup_intents/{id}, POST /v1/refunds, GET /v1/disputes/{id},
  POST /v1/customers, GET|POST /v1/customers/{id},
  GET /v1/customers/{id}/payment_methods,
  GET /v1/payment_methods?customer=…, GET /v1/payment_methods/{id}, POST /v1/payment_methods/{id}/attach|detach,
  POST /v1/tax/calculations, GET /v1/tax/calculations/{id}, GET /v1/tax/calculations/{id}/line_items,
  POST /v1/tax/transactions/create_from_calculation, POST /v1/tax/transactions/create_reversal,
  GET /v1/tax/transactions/{id}, GET /v1/tax/transactions/{id}/line_items (Stripe Tax with a fixed rate table:
  see tax.py).
`Idempotency-Key` works as on Stripe: the same key replays the first response (`Idempotent-Replayed: true`).

Control endpoints (JSON, no auth):
  POST /_control/fail {"mode": "502"|"500"|"429"|"timeout"|"slow", "count": N, "delay_ms": D, "seconds": S}
       the next N API calls fail that way ("timeout" holds the connection D ms (default 60 s) and closes it
       unanswered; "slow" waits D ms and then answers normally); with "seconds", every call fails that way
       for the next S seconds instead (an outage window, as the proof harness injects).
  POST /_control/reset              forget failures, calls and objects; release held connections.
  GET  /_control/calls              [{"method", "path", "idempotency_key", "stripe_version"}] of every API call
       received (`stripe_version` is the call's `Stripe-Version` header, "" when it had none).
  GET  /_control/intents            {"intents": [{"id", "status", "amount", "metadata"}]} of every PaymentIntent.
  POST /_control/webhook_endpoint   {"url", "secret"}: deliver every later event there, signed.
  POST /_control/next_intent_status {"status": S, "count": N}: the next N confirmations end in S (succeeded,
       requires_action, processing, requires_payment_method, requires_capture, canceled) whatever the card.
  POST /_control/authenticate       {"payment_intent": "pi_…"|"seti_…", "outcome": "complete"|"fail"}: the
       shopper's answer to a 3-D Secure challenge (what Stripe.js `handleNextAction` does in test mode); the
       intent (or SetupIntent) succeeds or goes back to `requires_payment_method`, and the matching webhook is
       sent to the configured endpoint. Answers CORS requests, so a local checkout page's simulated challenge
       can call it.
  POST /_control/disputes          {"charge": "ch_…", "reason"?}: the cardholder disputes the charge
       (`charge.dispute.created`); {"dispute": "dp_…", "status": "won"|"lost"} closes it (`charge.dispute.closed`).
  POST /_control/webhooks           {"url", "secret", "type", "object", "event_id"?, "timestamp"?}: send one event.
"""
import argparse
import json
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .forms import decode_form
from .signing import API_VERSION, build_event, deliver
from .store import FORCEABLE_STATUSES, Store, error, missing

ROUTES = [
    ("POST", r"/v1/payment_intents", lambda s, p, m: s.intent_create(p)),
    ("GET", r"/v1/payment_intents/(?P<id>[^/]+)", lambda s, p, m: (200, s.intents[m["id"]])
     if m["id"] in s.intents else missing("payment_intent", m["id"])),
    ("POST", r"/v1/payment_intents/(?P<id>[^/]+)", lambda s, p, m: s.intent_update(m["id"], p)),
    ("POST", r"/v1/payment_intents/(?P<id>[^/]+)/confirm", lambda s, p, m: s.intent_confirm(m["id"], p)),
    ("POST", r"/v1/payment_intents/(?P<id>[^/]+)/cancel", lambda s, p, m: s.intent_cancel(m["id"])),
    ("GET", r"/v1/charges/(?P<id>[^/]+)", lambda s, p, m: (200, s.charges[m["id"]])
     if m["id"] in s.charges else missing("charge", m["id"])),
    ("POST", r"/v1/setup_intents", lambda s, p, m: s.setup_intent_create(p)),
    ("GET", r"/v1/setup_intents/(?P<id>[^/]+)", lambda s, p, m: (200, s.setup_intents[m["id"]])
     if m["id"] in s.setup_intents else missing("setup_intent", m["id"])),
    ("POST", r"/v1/refunds", lambda s, p, m: s.refund_create(p)),
    ("GET", r"/v1/disputes/(?P<id>[^/]+)", lambda s, p, m: (200, s.disputes[m["id"]])
     if m["id"] in s.disputes else missing("dispute", m["id"])),
    ("GET", r"/v1/refunds/(?P<id>[^/]+)", lambda s, p, m: (200, s.refunds[m["id"]])
     if m["id"] in s.refunds else missing("refund", m["id"])),
    ("POST", r"/v1/customers", lambda s, p, m: s.customer_create(p)),
    ("GET", r"/v1/customers/(?P<id>[^/]+)", lambda s, p, m: (200, s.customers[m["id"]])
     if m["id"] in s.customers else missing("customer", m["id"])),
    ("POST", r"/v1/customers/(?P<id>[^/]+)", lambda s, p, m: s.customer_update(m["id"], p)),
    ("GET", r"/v1/customers/(?P<id>[^/]+)/payment_methods", lambda s, p, m: s.list_methods(m["id"])),
    ("GET", r"/v1/payment_methods", lambda s, p, m: s.list_methods(p.get("customer", ""))),
    ("GET", r"/v1/payment_methods/(?P<id>[^/]+)", lambda s, p, m: (200, s.payment_method(m["id"]))
     if s.payment_method(m["id"]) else missing("payment_method", m["id"])),
    ("POST", r"/v1/payment_methods/(?P<id>[^/]+)/attach", lambda s, p, m: s.attach(m["id"], p)),
    ("POST", r"/v1/payment_methods/(?P<id>[^/]+)/detach", lambda s, p, m: s.detach(m["id"])),
    ("POST", r"/v1/tax/calculations", lambda s, p, m: s.tax_calculation_create(p)),
    ("GET", r"/v1/tax/calculations/(?P<id>[^/]+)", lambda s, p, m: (200, s.tax_calculations[m["id"]])
     if m["id"] in s.tax_calculations else missing("tax.calculation", m["id"])),
    ("GET", r"/v1/tax/calculations/(?P<id>[^/]+)/line_items", lambda s, p, m: s.tax_calculation_line_items(m["id"], p)),
    ("POST", r"/v1/tax/transactions/create_from_calculation", lambda s, p, m: s.tax_transaction_create(p)),
    ("POST", r"/v1/tax/transactions/create_reversal", lambda s, p, m: s.tax_transaction_reversal_create(p)),
    ("GET", r"/v1/tax/transactions/(?P<id>[^/]+)", lambda s, p, m: (200, s.tax_transactions[m["id"]])
     if m["id"] in s.tax_transactions else missing("tax.transaction", m["id"])),
    ("GET", r"/v1/tax/transactions/(?P<id>[^/]+)/line_items",
     lambda s, p, m: s.tax_transaction_line_items_list(m["id"], p)),
]
COMPILED = [(method, re.compile(pattern + r"$"), handler) for method, pattern, handler in ROUTES]


class LocalStripe:
    """Everything one server instance remembers: objects, idempotent results, failures, calls, webhooks."""

    def __init__(self):
        self.store = Store()
        self.lock = threading.RLock()
        self.idempotent: dict[tuple[str, str], tuple[int, bytes]] = {}
        self.failures: list[dict] = []
        self.calls: list[dict] = []
        self.released = threading.Event()
        self.webhook: dict | None = None
        self.delivered = 0

    def reset(self) -> None:
        with self.lock:
            self.released.set()
            self.released = threading.Event()
            self.store = Store()
            self.idempotent.clear()
            self.failures.clear()
            self.calls.clear()
            self.webhook, self.delivered = None, 0

    def next_failure(self) -> dict | None:
        with self.lock:
            if not self.failures:
                return None
            while self.failures and self.failures[0].get("until", float("inf")) <= time.monotonic():
                self.failures.pop(0)
            if not self.failures:
                return None
            failure = self.failures[0]
            if "until" in failure:
                return dict(failure)
            failure["count"] -= 1
            if failure["count"] <= 0:
                self.failures.pop(0)
            return dict(failure)

    def execute(self, method: str, path: str, params: dict) -> tuple[int, dict]:
        for route_method, pattern, handler in COMPILED:
            match = pattern.match(path)
            if match and route_method == method:
                with self.store.lock:
                    status, body = handler(self.store, params, match.groupdict())
                    return status, self._expand(body, params.get("expand") or [])
        return error(404, "invalid_request_error", f"Unrecognized request URL ({method}: {path}).")

    def _expand(self, body: dict, fields: list[str]) -> dict:
        """Stripe's `expand[]=latest_charge`: inline the referenced object instead of its id."""
        expanded = dict(body)
        for name in fields:
            object_id = expanded.get(name)
            if isinstance(object_id, str):
                for table in (self.store.charges, self.store.methods, self.store.customers, self.store.intents):
                    if object_id in table:
                        expanded[name] = table[object_id]
        return expanded

    def deliver_pending(self) -> None:
        """Send events emitted since the last delivery to the configured endpoint, in order."""
        with self.lock:
            endpoint = self.webhook
            pending = self.store.events[self.delivered:]
            self.delivered = len(self.store.events)
        if not endpoint:
            return
        for event_type, obj in pending:
            deliver(endpoint["url"], endpoint["secret"], build_event(event_type, obj))


class Handler(BaseHTTPRequestHandler):
    server_version = "localstripe/1.0"
    protocol_version = "HTTP/1.1"
    # A response's headers and body leave in one packet (written to a buffer that http.server flushes
    # after each request): sent apart, the body waited out the client's delayed ACK, 40 ms per call.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True

    @property
    def app(self) -> LocalStripe:
        return self.server.app  # type: ignore[attr-defined]

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by BaseHTTPRequestHandler
        """Quiet: the test suite and `make run` read the control endpoints instead."""

    def _body(self) -> str:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length).decode() if length else ""

    def _send(self, status: int, body, headers: dict | None = None) -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body, indent=2).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.send_header("Request-Id", "req_" + secrets.token_hex(7))
        self.send_header("Stripe-Version", API_VERSION)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self):  # noqa: N802 - http.server naming
        self._dispatch("GET")

    def do_POST(self):  # noqa: N802
        self._dispatch("POST")

    def do_DELETE(self):  # noqa: N802
        self._dispatch("DELETE")

    def do_OPTIONS(self):  # noqa: N802 - CORS preflight of /_control/authenticate from a local checkout page
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "POST")
        self.send_header("Access-Control-Allow-Headers", "Content-Type")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _dispatch(self, method: str) -> None:
        path, _, query = self.path.partition("?")
        body = self._body()
        if path.startswith("/_control/"):
            self._control(method, path, body)
            return
        self._api(method, path, decode_form(query if method == "GET" else body))

    def _api(self, method: str, path: str, params: dict) -> None:
        key = self.headers.get("Idempotency-Key", "")
        with self.app.lock:
            self.app.calls.append({"method": method, "path": path, "idempotency_key": key,
                                   "stripe_version": self.headers.get("Stripe-Version", "")})
            held = self.app.released
        if not self.headers.get("Authorization", "").startswith("Bearer sk_"):
            self._send(*error(401, "invalid_request_error", "Invalid API Key provided."))
            return
        failure = self.app.next_failure()
        if failure:
            delay = failure.get("delay_ms", 60000 if failure["mode"] == "timeout" else 0) / 1000
            if failure["mode"] == "timeout":
                held.wait(delay)
                self.close_connection = True
                return
            held.wait(delay)
            if failure["mode"] in ("500", "502", "503", "429"):
                status = int(failure["mode"])
                kind = "rate_limit_error" if status == 429 else "api_error"
                self._send(*error(status, kind, f"Injected {status} from localstripe."))
                return
        self._respond(method, path, params, key)

    def _respond(self, method: str, path: str, params: dict, key: str) -> None:
        cache_key = (self.headers.get("Authorization", ""), key)
        if method == "POST" and key:
            with self.app.lock:
                replay = self.app.idempotent.get(cache_key)
            if replay:
                self._send(replay[0], replay[1], {"Idempotent-Replayed": "true", "Idempotency-Key": key})
                return
        with self.app.store.lock:
            if method == "POST" and key and cache_key in self.app.idempotent:
                status, raw = self.app.idempotent[cache_key]
                self._send(status, raw, {"Idempotent-Replayed": "true", "Idempotency-Key": key})
                return
            status, body = self.app.execute(method, path, params)
            raw = json.dumps(body, indent=2).encode()
            if method == "POST" and key and status < 500:
                self.app.idempotent[cache_key] = (status, raw)
        self._send(status, raw, {"Idempotency-Key": key} if key else None)
        if self.app.webhook:
            threading.Thread(target=self.app.deliver_pending, daemon=True).start()
        else:
            self.app.deliver_pending()  # no endpoint: only marks the events as seen, no thread needed

    def _control(self, method: str, path: str, body: str) -> None:
        data = json.loads(body) if body else {}
        app = self.app
        if path == "/_control/fail" and method == "POST":
            failure = {"mode": str(data.get("mode", "502")), "count": int(data.get("count", 1)),
                       **({"delay_ms": int(data["delay_ms"])} if "delay_ms" in data else {})}
            if "seconds" in data:
                failure["until"] = time.monotonic() + float(data["seconds"])
            with app.lock:
                app.failures.append(failure)
                self._send(200, {"failures": app.failures})
        elif path == "/_control/reset" and method == "POST":
            app.reset()
            self._send(200, {"reset": True})
        elif path == "/_control/calls":
            with app.lock:
                self._send(200, {"calls": list(app.calls)})
        elif path == "/_control/intents":
            with app.store.lock:
                intents = [{key: intent[key] for key in ("id", "status", "amount", "metadata")}
                           for intent in app.store.intents.values()]
            self._send(200, {"intents": intents})
        elif path == "/_control/webhook_endpoint" and method == "POST":
            with app.lock:
                app.webhook = {"url": data["url"], "secret": data["secret"]}
                app.delivered = len(app.store.events)
            self._send(200, {"webhook_endpoint": data["url"]})
        elif path == "/_control/next_intent_status" and method == "POST":
            status = str(data.get("status", ""))
            if status not in FORCEABLE_STATUSES:
                self._send(400, {"error": {"type": "invalid_request_error",
                                           "message": f"status must be one of {', '.join(FORCEABLE_STATUSES)}"}})
                return
            with app.store.lock:
                app.store.forced_statuses.extend([status] * int(data.get("count", 1)))
                self._send(200, {"forced_statuses": list(app.store.forced_statuses)})
        elif path == "/_control/authenticate" and method == "POST":
            with app.store.lock:
                status, body = app.store.intent_authenticate(str(data.get("payment_intent")
                                                                 or data.get("setup_intent") or ""),
                                                             str(data.get("outcome", "")))
            self._send(status, body, {"Access-Control-Allow-Origin": "*"})
            app.deliver_pending()
        elif path == "/_control/disputes" and method == "POST":
            with app.store.lock:
                if data.get("dispute"):
                    status, body = app.store.dispute_close(str(data["dispute"]), str(data.get("status", "")))
                else:
                    status, body = app.store.dispute_create(str(data.get("charge", "")),
                                                            str(data.get("reason") or "fraudulent"))
            self._send(status, body)
            app.deliver_pending()
        elif path == "/_control/webhooks" and method == "POST":
            event = build_event(data["type"], data.get("object", {}), event_id=data.get("event_id", ""),
                                created=data.get("created"))
            status, response = deliver(data["url"], data["secret"], event, timestamp=data.get("timestamp"))
            self._send(200, {"status": status, "body": response, "event": event})
        else:
            self._send(404, {"error": {"type": "invalid_request_error", "message": f"No control {method} {path}"}})


def make_server(port: int = 0, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    server.app = LocalStripe()  # type: ignore[attr-defined]
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description="Local Stripe-compatible server (never for production).")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--webhook-url", default="", help="deliver every event here, signed (like a Stripe endpoint)")
    parser.add_argument("--webhook-secret", default="whsec_local_dev")
    args = parser.parse_args()
    server = make_server(args.port, args.host)
    if args.webhook_url:
        server.app.webhook = {"url": args.webhook_url, "secret": args.webhook_secret}
    print(f"localstripe listening on http://{args.host}:{args.port} at {time.strftime('%H:%M:%S')}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()

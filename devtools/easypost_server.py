"""A tiny EasyPost-compatible HTTP server for tests (127.0.0.1, free port, in a thread).

It speaks the endpoints the provider uses — create shipment, buy, refund (void), list
purchased shipments — plus the label file download, and records every call. `fail_next`
makes the next N API calls answer 500 as EasyPost does during an outage.
"""
import json
import secrets
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API_KEY = "EZTK_test_key"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class EasyPostState:
    def __init__(self):
        self.shipments: dict[str, dict] = {}
        self.trackers: dict[str, dict] = {}
        self.calls: list[tuple[str, str]] = []
        self.fail_next = 0
        self.base_url = ""

    def add_purchased(self, *, reference: str, created_at: datetime) -> dict:
        """A label bought outside our code path (e.g. by a process that crashed before recording it)."""
        shipment = self._shipment({"reference": reference})
        self._buy(shipment)
        shipment["created_at"] = created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        return shipment

    def _shipment(self, params: dict) -> dict:
        shipment_id = "shp_" + secrets.token_hex(8)
        shipment = {
            "id": shipment_id, "object": "Shipment", "reference": params.get("reference"),
            "is_return": params.get("is_return", True), "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "from_address": params.get("from_address"), "to_address": params.get("to_address"),
            "rates": [
                {"id": "rate_" + secrets.token_hex(4), "object": "Rate", "carrier": "USPS", "service": "Priority",
                 "rate": "7.90", "shipment_id": shipment_id},
                {"id": "rate_" + secrets.token_hex(4), "object": "Rate", "carrier": "USPS", "service": "Ground",
                 "rate": "5.10", "shipment_id": shipment_id},
            ],
            "postage_label": None, "tracking_code": None, "selected_rate": None, "refund_status": None,
        }
        self.shipments[shipment_id] = shipment
        return shipment

    def _buy(self, shipment: dict, rate_id: str | None = None) -> dict:
        rate = next((r for r in shipment["rates"] if r["id"] == rate_id), shipment["rates"][1])
        shipment["selected_rate"] = rate
        shipment["tracking_code"] = "9400" + "".join(secrets.choice("0123456789") for _ in range(18))
        shipment["postage_label"] = {"object": "PostageLabel", "label_file_type": "application/pdf",
                                     "label_url": f"{self.base_url}/files/{shipment['id']}.pdf"}
        return shipment


def make_handler(state: EasyPostState):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, status: int, body: dict | bytes, content_type: str = "application/json"):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> dict:
            length = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(length) or b"{}")

        def _api(self, method: str) -> None:
            path = self.path.split("?")[0]
            state.calls.append((method, path))
            if path.startswith("/files/"):
                return self._send(200, PDF, "application/pdf")
            if self.headers.get("Authorization", "") != f"Bearer {API_KEY}":
                return self._send(401, {"error": {"code": "APIKEY.INACTIVE", "message": "bad key", "errors": []}})
            if state.fail_next:
                state.fail_next -= 1
                return self._send(500, {"error": {"code": "INTERNAL_SERVER_ERROR", "message": "outage", "errors": []}})
            parts = path.strip("/").split("/")  # v2/shipments[/id[/action]]
            if method == "POST" and parts == ["v2", "trackers"]:
                params = self._body().get("tracker") or {}
                tracker = {"id": f"trk_{len(state.trackers) + 1:08d}", "object": "Tracker", "status": "pre_transit",
                           "tracking_code": params.get("tracking_code", ""), "carrier": params.get("carrier", "")}
                state.trackers[tracker["id"]] = tracker
                return self._send(201, tracker)
            if method == "POST" and parts == ["v2", "shipments"]:
                return self._send(201, state._shipment(self._body()["shipment"]))
            if len(parts) >= 3 and parts[1] == "shipments" and parts[2] not in state.shipments:
                return self._send(404, {"error": {"code": "NOT_FOUND", "message": "no shipment", "errors": []}})
            if method == "POST" and len(parts) == 4 and parts[3] == "buy":
                rate = self._body().get("rate") or {}
                return self._send(200, state._buy(state.shipments[parts[2]], rate.get("id")))
            if method == "POST" and len(parts) == 4 and parts[3] == "refund":
                state.shipments[parts[2]]["refund_status"] = "submitted"
                return self._send(200, state.shipments[parts[2]])
            if method == "GET" and parts == ["v2", "shipments"]:
                purchased = [s for s in state.shipments.values() if s["postage_label"]]
                return self._send(200, {"shipments": sorted(purchased, key=lambda s: s["created_at"], reverse=True),
                                        "has_more": False})
            return self._send(404, {"error": {"code": "NOT_FOUND", "message": path, "errors": []}})

        def do_GET(self):
            self._api("GET")

        def do_POST(self):
            self._api("POST")

    return Handler


def start_easypost_server() -> tuple[ThreadingHTTPServer, EasyPostState]:
    state = EasyPostState()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, state

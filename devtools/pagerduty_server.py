"""A local PagerDuty Events API v2 endpoint for tests and manual runs (127.0.0.1, free port, a thread).

`POST /v2/enqueue` validates an event the way PagerDuty does (routing key, action, dedup key, and for
a trigger a payload with summary, source and a known severity) and answers 202
`{"status": "success", "message": "Event processed", "dedup_key": …}`, or 400 `invalid event` with
the errors. Every request is recorded in `events`; `fail(status, count)` makes the next calls answer
an outage status (429, 500, 503) instead.

In tests, the `local_pagerduty` fixture (this module is a pytest plugin registered in the root
conftest.py) starts one server per test and points PAGERDUTY_EVENTS_URL / PAGERDUTY_ROUTING_KEY at it:

    def test_pages(local_pagerduty):
        ...
        assert [e["event_action"] for e in local_pagerduty.events] == ["trigger"]

By hand: `python -m devtools.pagerduty_server --port 8765` prints each event it accepts.
"""
import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

ROUTING_KEY = "R0UT1NGKEY0000000000000000000000"  # PagerDuty's keys are 32 characters
ACTIONS = ("trigger", "acknowledge", "resolve")
SEVERITIES = ("critical", "error", "warning", "info")


def event_errors(event) -> list[str]:
    """What PagerDuty would reject in an Events v2 body (empty when the event is valid)."""
    if not isinstance(event, dict):
        return ["Event object is invalid"]
    errors = []
    if len(str(event.get("routing_key") or "")) != 32:
        errors.append("'routing_key' must be a 32 character integration key")
    if event.get("event_action") not in ACTIONS:
        errors.append(f"'event_action' must be one of {', '.join(ACTIONS)}")
    if event.get("event_action") in ("acknowledge", "resolve") and not event.get("dedup_key"):
        errors.append("'dedup_key' is required to acknowledge or resolve")
    if event.get("event_action") == "trigger":
        payload = event.get("payload") or {}
        for field in ("summary", "source"):
            if not payload.get(field):
                errors.append(f"'payload.{field}' is missing or blank")
        if len(str(payload.get("summary") or "")) > 1024:
            errors.append("'payload.summary' is longer than 1024 characters")
        if payload.get("severity") not in SEVERITIES:
            errors.append(f"'payload.severity' must be one of {', '.join(SEVERITIES)}")
    return errors


class PagerDutyServer:
    """The running server: `url` to point PAGERDUTY_EVENTS_URL at, `events` received (valid or not),
    `paths` they were posted to."""

    def __init__(self, port: int = 0, *, echo: bool = False):
        self.events: list = []
        self.paths: list[str] = []
        self._failures: list[int] = []
        self._lock = threading.Lock()
        self.echo = echo
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v2/enqueue"

    def fail(self, status: int, count: int = 1) -> None:
        """Answer the next `count` events with `status` (an outage: 429 or 5xx)."""
        with self._lock:
            self._failures.extend([status] * count)

    def _answer(self, path: str, raw: bytes) -> tuple[int, dict]:
        try:
            event = json.loads(raw or b"null")
        except ValueError:
            event = None
        with self._lock:
            self.events.append(event)
            self.paths.append(path)
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            return failure, {"status": "unavailable", "message": "Simulated outage"}
        if path != "/v2/enqueue":
            return 404, {"status": "not found", "message": f"No endpoint at {path}"}
        errors = event_errors(event)
        if errors:
            return 400, {"status": "invalid event", "message": "Event object is invalid", "errors": errors}
        if self.echo:
            print(json.dumps(event), flush=True)  # noqa: T201 — the manual run's whole point
        return 202, {"status": "success", "message": "Event processed", "dedup_key": event.get("dedup_key")}

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler_for(server: PagerDutyServer):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):  # noqa: N802 — http.server's naming
            status, body = server._answer(self.path, self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

    return Handler


@pytest.fixture
def local_pagerduty(settings):
    """A PagerDutyServer with PAGERDUTY_EVENTS_URL and PAGERDUTY_ROUTING_KEY pointed at it."""
    server = PagerDutyServer()
    settings.PAGERDUTY_EVENTS_URL = server.url
    settings.PAGERDUTY_ROUTING_KEY = ROUTING_KEY
    yield server
    server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    server = PagerDutyServer(parser.parse_args().port, echo=True)
    print(f"PagerDuty Events v2 at {server.url} (routing key: any 32 characters)", flush=True)  # noqa: T201
    try:
        server.thread.join()
    except KeyboardInterrupt:
        server.close()


if __name__ == "__main__":
    main()

"""gunicorn settings shared by the Dockerfile and deploy/k8s: `gunicorn -c vantage/gunicorn.conf.py vantage.wsgi`.

Prometheus multiprocess mode: every worker writes its counters and histograms under
PROMETHEUS_MULTIPROC_DIR, and /metrics sums them (apps/core/metrics.py), so a scrape shows the
pod's totals whichever worker answers. The directory is emptied when the master starts (stale
files would add a previous run's counts) and a dead worker's live gauges are dropped.

gunicorn answers a request it refuses before Django sees it (a request line over 4094 bytes: 414, headers
over its limits or malformed: 400) in the API's error envelope, not gunicorn's HTML page (`make proof`'s
fuzzer found a 414 in HTML, which the OpenAPI contract does not describe).
"""
import json
import os
import secrets
import shutil
import tempfile

from gunicorn import util

workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# Threads: while one request waits (on Stripe, PostgreSQL, Redis or a slow client) the worker's other threads
# serve; a sync worker would be held whole. The benchmark and `make proof` measure this model. Each thread
# keeps its own PostgreSQL connection (CONN_MAX_AGE): a pod opens up to workers × threads of them.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 60
graceful_timeout = 30
accesslog = "-"
worker_tmp_dir = tempfile.gettempdir()

# Before anything imports prometheus_client: it picks its value storage at import time.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), "vantage-prometheus"))


def on_starting(server):
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


# gunicorn's refusals, by status: the envelope's code (any other status: BAD_REQUEST below 500)
REFUSAL_CODES = {414: "URI_TOO_LONG", 431: "HEADERS_TOO_LARGE", 500: "INTERNAL_ERROR"}


def write_error_envelope(sock, status_int, reason, mesg):
    """gunicorn.util.write_error's replacement: the same status line, the error envelope as the body. The
    message is gunicorn's own (which limit was passed), never a traceback."""
    code = REFUSAL_CODES.get(status_int, "BAD_REQUEST" if status_int < 500 else "INTERNAL_ERROR")
    message = mesg if status_int < 500 else "The server could not answer this request."
    body = json.dumps({"error": code, "message": message or reason,
                       "request_id": f"req_{secrets.token_hex(6)}"}).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    util.write_nonblock(sock, head.encode("latin-1") + body)


util.write_error = write_error_envelope  # the workers call util.write_error(...) at use, after this

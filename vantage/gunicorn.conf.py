"""gunicorn settings shared by the Dockerfile and deploy/k8s: `gunicorn -c vantage/gunicorn.conf.py vantage.wsgi`.

Prometheus multiprocess mode: every worker writes its counters and histograms under
PROMETHEUS_MULTIPROC_DIR, and /metrics sums them (apps/core/metrics.py), so a scrape shows the
pod's totals whichever worker answers. The directory is emptied when the master starts (stale
files would add a previous run's counts) and a dead worker's live gauges are dropped.
"""
import os
import shutil
import tempfile

workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
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

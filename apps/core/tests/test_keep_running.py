"""`make run` restarts a process that dies: honcho runs web, worker and beat through
scripts/keep_running.sh, which starts the command again and logs the exit. Killing a child here is
what Redis restarting did to the Celery worker before apps/core/celery_transport.py (README "Proof")."""
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Prints its pid, then waits to be killed.
CHILD = f'{sys.executable} -c "import os, time; print(\'pid\', os.getpid(), flush=True); time.sleep(120)"'


def read_until(stream, pattern: str, timeout: float = 20.0) -> re.Match:
    deadline, seen = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        line = stream.readline()
        seen += line
        if match := re.search(pattern, line):
            return match
    raise AssertionError(f"no line matching {pattern!r} in {timeout}s; saw:\n{seen}")


def test_procfile_runs_web_worker_and_beat_under_the_restart_loop():
    lines = dict(line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())
    for name in ("web", "worker", "beat"):
        assert lines[name].split()[:2] == ["scripts/keep_running.sh", name]


def test_a_killed_process_is_restarted_under_honcho_and_the_exit_is_logged(tmp_path):
    # given honcho running one process through the wrapper, as `make run` does
    (tmp_path / "Procfile").write_text(f"worker: {ROOT}/scripts/keep_running.sh worker {CHILD}\n")
    honcho = subprocess.Popen([str(ROOT / ".venv" / "bin" / "honcho"), "-f", str(tmp_path / "Procfile"),
                               "-d", str(tmp_path), "start"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, start_new_session=True)
    try:
        first = int(read_until(honcho.stdout, r"pid (\d+)")[1])

        # when the process dies as the worker did (killed, no clean shutdown)
        os.kill(first, signal.SIGKILL)

        # then the wrapper logs the exit and starts it again, and honcho keeps running
        read_until(honcho.stdout, r"keep_running\[worker\]: exited with status 137; restarting in 1s")
        second = int(read_until(honcho.stdout, r"pid (\d+)")[1])
        assert second != first
        assert honcho.poll() is None

        # and Ctrl-C (SIGINT to honcho) still stops everything
        honcho.send_signal(signal.SIGINT)
        assert honcho.wait(timeout=20) is not None
        time.sleep(0.5)
        assert not Path(f"/proc/{second}").exists() or "zombie" in Path(f"/proc/{second}/status").read_text()
    finally:
        if honcho.poll() is None:
            os.killpg(honcho.pid, signal.SIGKILL)
            honcho.wait()

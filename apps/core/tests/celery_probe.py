"""A task for the tests that run a real `celery worker` (loaded with `--include`): it records each run
in a file, so a test sees what ran (and when) without a result backend or a database."""
import time
from pathlib import Path

from celery import shared_task


def _record(path: str, line: str) -> None:
    with Path(path).open("a") as runs:
        runs.write(f"{line}\n")


@shared_task(name="core.test_broker_probe", acks_late=True, ignore_result=True)
def broker_probe(path: str, label: str, seconds: float = 0.0) -> None:
    _record(path, f"started {label}")
    time.sleep(seconds)
    _record(path, f"done {label}")

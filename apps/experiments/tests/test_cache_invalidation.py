"""A flag change made in one process reaches another process's in-memory cache (Redis version bump)."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from apps.experiments.models import Flag
from apps.experiments.services.flags import flag_create, flag_kill

REPO = Path(__file__).resolve().parents[3]
CHECK_MS = 50

CHILD = """
import sys, django
django.setup()
from apps.experiments.public import is_enabled
for line in sys.stdin:
    print(is_enabled(line.strip(), {"user_id": 1}), flush=True)
"""


@pytest.fixture
def other_process():
    """A second Django process on the test database, answering is_enabled(key) per line."""
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vantage.settings", "FLAGS_CACHE_CHECK_MS": str(CHECK_MS),
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"}
    process = subprocess.Popen([sys.executable, "-c", CHILD], cwd=REPO, env=env, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def ask(key: str) -> str:
        process.stdin.write(key + "\n")
        process.stdin.flush()
        return process.stdout.readline().strip()

    yield ask
    process.stdin.close()
    process.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_a_change_in_one_process_is_seen_by_another(other_process):
    # given a flag the other process has evaluated (and cached)
    flag = flag_create(key="cross_process", actor="test", enabled=True, rollout_percentage=100)
    assert other_process("cross_process") == "True"
    # when the database changes behind the services' back, the other process keeps its cache
    Flag.objects.filter(pk=flag.pk).update(rollout_percentage=0)
    time.sleep(CHECK_MS * 3 / 1000)
    assert other_process("cross_process") == "True"
    # when the kill switch is engaged through the service (which bumps the version after commit)
    flag_kill(flag=flag, actor="test", reason="cross-process check")
    time.sleep(CHECK_MS * 3 / 1000)
    # then the other process reloads and serves the fallback
    assert other_process("cross_process") == "False"

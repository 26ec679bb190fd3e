"""Fixtures of the tax app's tests."""
import pytest

from vantage.celery import app


@pytest.fixture
def eager_tasks():
    """Queued tasks run in-process (retries too, without their countdown), as a worker would run them."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False

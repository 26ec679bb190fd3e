"""Settings for real server processes started by tests (gunicorn): the project's, plus test routes."""
from vantage.settings import *  # noqa: F403

ROOT_URLCONF = "apps.core.tests.urls"

"""SHIPPING_CUTOFF_HOUR and SHIPPING_TIMEZONE are checked when a process starts: a bad value stops it with a
message naming the variable (each start-up case is a fresh Python process)."""
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from apps.shipping.conf import shipping_settings_validate


@pytest.mark.parametrize("cutoff_hour", [0, 14, 23])
@pytest.mark.parametrize("timezone", ["America/New_York", "Europe/Berlin", "UTC"])
def test_valid_settings_pass(cutoff_hour, timezone):
    shipping_settings_validate(cutoff_hour=cutoff_hour, timezone=timezone)


@pytest.mark.parametrize(("cutoff_hour", "timezone", "variable"), [
    (24, "America/New_York", "SHIPPING_CUTOFF_HOUR"),
    (-1, "America/New_York", "SHIPPING_CUTOFF_HOUR"),
    ("14", "America/New_York", "SHIPPING_CUTOFF_HOUR"),
    (True, "America/New_York", "SHIPPING_CUTOFF_HOUR"),
    (14, "America/Gotham", "SHIPPING_TIMEZONE"),
    (14, "EST5EDT/../../etc/passwd", "SHIPPING_TIMEZONE"),
    (14, "", "SHIPPING_TIMEZONE"),
])
def test_invalid_settings_are_refused_naming_the_variable(cutoff_hour, timezone, variable):
    with pytest.raises(ImproperlyConfigured, match=f"^{variable} is "):
        shipping_settings_validate(cutoff_hour=cutoff_hour, timezone=timezone)


def start(**variables) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vantage.settings", **variables}
    return subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=240)


@pytest.mark.parametrize(("variables", "message"), [
    (dict(SHIPPING_CUTOFF_HOUR="25"), "ImproperlyConfigured: SHIPPING_CUTOFF_HOUR is 25"),
    (dict(SHIPPING_TIMEZONE="Mars/Olympus_Mons"), "ImproperlyConfigured: SHIPPING_TIMEZONE is 'Mars/Olympus_Mons'"),
])
def test_a_process_with_bad_shipping_settings_refuses_to_start(variables, message):
    result = start(**variables)

    assert result.returncode != 0
    assert message in result.stderr, result.stderr[-800:]


def test_a_process_with_good_shipping_settings_starts():
    result = start(SHIPPING_CUTOFF_HOUR="16", SHIPPING_TIMEZONE="America/Los_Angeles")

    assert result.returncode == 0, result.stderr[-800:]

"""TAX_PROVIDER is validated at start-up (tax.E001): a process configured with an unknown provider refuses to
run instead of failing the first checkout."""
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


@pytest.mark.parametrize("provider", ["table", "stripe"])
def test_the_known_providers_pass(settings, provider):
    settings.TAX_PROVIDER = provider

    call_command("check")


@pytest.mark.parametrize("provider", ["avalara", "", "Stripe"])
def test_an_unknown_provider_fails_the_check_with_a_hint(settings, provider):
    settings.TAX_PROVIDER = provider

    with pytest.raises(SystemCheckError) as failure:
        call_command("check")

    assert "tax.E001" in str(failure.value)
    assert "HINT: Set the TAX_PROVIDER environment variable to one of: stripe, table" in str(failure.value)


def test_the_environment_variable_is_what_is_checked():
    env = {**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, "TAX_PROVIDER": "taxjar"}

    result = subprocess.run([sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True,
                            timeout=240)

    assert result.returncode != 0
    assert "tax.E001" in result.stderr and "'taxjar'" in result.stderr

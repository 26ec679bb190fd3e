"""The seed's post-deploy smoke test, as written, against a real running server: POST a return for
the flagged test order → 201 with a valid return_id and a label URL that downloads a PDF."""
import re

import pytest
import requests
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.returns.models import Return, ReturnStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_smoke_test_passes_against_a_running_server_with_the_flag_off(live_server, settings, capsys):
    # given the demo data (ord_smoke_test, delivered, is_test) and the flag still off
    settings.SELF_SERVICE_RETURNS_ENABLED = False
    call_command("seed_demo")
    # when the smoke test runs twice (two deploys)
    for _ in range(2):
        call_command("returns_smoke_test", base_url=live_server.url)
    # then it passed both times and cleaned up after itself
    output = capsys.readouterr().out
    assert len(re.findall(r"OK: 201 ret_[a-z0-9]{12}, label \d+ bytes PDF, cleaned up", output)) == 2
    assert set(Return.objects.filter(order_id="ord_smoke_test").values_list("status", flat=True)) == {
        ReturnStatus.CANCELLED}
    # and a real order is still refused while the flag is off
    response = requests.post(f"{live_server.url}/api/v1/returns", json={"order_id": "ord_unknown"}, timeout=10)
    assert (response.status_code, response.json()["error"]) == (404, "FEATURE_DISABLED")


def test_smoke_test_fails_loudly_when_the_order_is_missing(live_server):
    with pytest.raises(CommandError, match="answered 404"):
        call_command("returns_smoke_test", base_url=live_server.url)

"""`manage.py flag_set`: the runbooks' kill switch from the command line, audited like the admin."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.experiments.models import Flag, FlagAuditEntry
from apps.experiments.public import flags

pytestmark = pytest.mark.django_db
VISITOR = {"session_id": "guest:sess:flag-command-test"}


def run(*args) -> str:
    out = StringIO()
    call_command("flag_set", *args, stdout=out)
    return out.getvalue()


def test_kill_switch_serves_the_fallback_everywhere_and_is_audited():
    assert flags.is_enabled("apple_pay", VISITOR)

    output = run("apple_pay", "--kill", "--reason", "INC-7 Apple Pay declines", "--actor", "oncall")

    assert "kill_switch=True" in output
    assert not flags.is_enabled("apple_pay", VISITOR)
    entry = FlagAuditEntry.objects.filter(flag__key="apple_pay").latest("created_at")
    assert (entry.action, entry.actor_label, entry.reason) == ("kill_switch_on", "cli:oncall",
                                                                "INC-7 Apple Pay declines")


def test_revive_releases_the_kill_switch():
    run("apple_pay", "--kill", "--reason", "test")
    run("apple_pay", "--revive", "--reason", "Stripe recovered")
    assert flags.is_enabled("apple_pay", VISITOR)
    assert not Flag.objects.get(key="apple_pay").kill_switch


def test_off_and_rollout_change_the_flag_through_the_services():
    run("self_service_returns", "--on", "--rollout", "100", "--reason", "ramp")
    assert flags.is_enabled("self_service_returns", VISITOR)
    run("self_service_returns", "--off", "--reason", "rollback")
    flag = Flag.objects.get(key="self_service_returns")
    assert (flag.enabled, float(flag.rollout_percentage)) == (False, 100.0)
    assert not flags.is_enabled("self_service_returns", VISITOR)


def test_without_a_change_it_only_shows_the_flag():
    before = FlagAuditEntry.objects.count()
    assert run("checkout_progress_dots").startswith("checkout_progress_dots: enabled=True, kill_switch=False")
    assert FlagAuditEntry.objects.count() == before


@pytest.mark.parametrize(("args", "message"), [
    (("apple_pay", "--kill"), "--reason"),
    (("no_such_flag", "--kill", "--reason", "x"), "Known flags: apple_pay"),
    (("guest_checkout_v2", "--on", "--reason", "x"), "archived"),
    (("apple_pay", "--rollout", "150", "--reason", "x"), "between 0 and 100"),
])
def test_refusals_say_what_to_do_and_change_nothing(args, message):
    before = list(Flag.objects.order_by("key").values_list("key", "enabled", "kill_switch", "rollout_percentage"))
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert list(Flag.objects.order_by("key").values_list("key", "enabled", "kill_switch",
                                                        "rollout_percentage")) == before


def test_archived_flags_can_still_be_killed():
    run("guest_checkout_v2", "--kill", "--reason", "legacy cleanup check")
    assert Flag.objects.get(key="guest_checkout_v2").kill_switch


def test_kill_and_on_are_mutually_exclusive():
    with pytest.raises(CommandError, match="not allowed with"):
        run("apple_pay", "--kill", "--on", "--reason", "x")

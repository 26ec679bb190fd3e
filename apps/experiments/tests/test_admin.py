"""The ops admin edits flags through the services: audited with the signed-in user, rules checked."""
import pytest

from apps.experiments.models import Flag, FlagAuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser(username="carlos", password="pw-ops-456"))
    return client


def form(**overrides) -> dict:
    data = {"key": "express_ramp", "description": "", "enabled": "on", "on_value": "true", "fallback_value": "false",
            "rollout_percentage": "5", "rules": "[]", "prerequisites": "[]", "reason": "week 1",
            "audit_entries-TOTAL_FORMS": "0", "audit_entries-INITIAL_FORMS": "0"}
    data.update(overrides)
    return data


def test_creating_and_changing_a_flag_in_the_admin_is_audited(admin_client):
    assert admin_client.post("/admin/experiments/flag/add/", form()).status_code == 302
    flag = Flag.objects.get(key="express_ramp")
    response = admin_client.post(f"/admin/experiments/flag/{flag.pk}/change/",
                                 form(rollout_percentage="25", reason="week 2"))
    assert response.status_code == 302
    entries = list(FlagAuditEntry.objects.filter(flag=flag).order_by("id"))
    assert [(e.action, e.actor_label, e.reason) for e in entries] == [("create", "carlos", "week 1"),
                                                                        ("update", "carlos", "week 2")]
    assert entries[1].before["rollout_percentage"] == 5 and entries[1].after["rollout_percentage"] == 25
    page = admin_client.get(f"/admin/experiments/flag/{flag.pk}/change/").content.decode()
    assert "week 2" in page and "carlos" in page


def test_a_bad_rule_shows_on_the_form_and_saves_nothing(admin_client):
    response = admin_client.post("/admin/experiments/flag/add/", form(rules='[{"when": "region = "}]'))
    assert response.status_code == 200
    assert "Expected a literal value" in response.content.decode()
    assert not Flag.objects.filter(key="express_ramp").exists()


def test_kill_switch_admin_action_is_audited(admin_client):
    flag = Flag.objects.get(key="apple_pay")
    admin_client.post("/admin/experiments/flag/", {"action": "engage_kill_switch", "_selected_action": [flag.pk]})
    flag.refresh_from_db()
    assert flag.kill_switch
    assert FlagAuditEntry.objects.get(flag=flag, action="kill_switch_on").actor_label == "carlos"


def test_experiment_admin_refuses_bad_variants_and_starts_a_draft(admin_client):
    from apps.experiments import public
    from apps.experiments.models import Experiment

    data = {"experiment_id": "EXP-2025-170", "key": "cta_test", "name": "CTA", "hypothesis": "",
            "variants": '[{"key": "control", "weight": 80}, {"key": "b", "weight": 40}]', "control_key": "control",
            "eligibility": "", "flag": "", "start_event": "shipping_completed", "conversion_event": "order_confirmed",
            "funnel_events": '["checkout_started", "order_confirmed"]', "segment_attribute": "device"}
    response = admin_client.post("/admin/experiments/experiment/add/", data)
    assert response.status_code == 200 and "add up to at most 100" in response.content.decode()
    data["variants"] = '[{"key": "control", "weight": 50}, {"key": "b", "weight": 50}]'
    assert admin_client.post("/admin/experiments/experiment/add/", data).status_code == 302
    experiment = Experiment.objects.get(key="cta_test")
    assert public.experiment_variant("cta_test", {"user_id": 1}) is None  # a draft assigns nobody
    admin_client.post("/admin/experiments/experiment/", {"action": "start", "_selected_action": [experiment.pk]})
    assert public.experiment_variant("cta_test", {"user_id": 1}) in {"control", "b"}

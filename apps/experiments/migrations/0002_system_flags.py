"""The flags this system uses and EXP-2025-163, as of the 2025-10-15 log (DESIGN.md: the later seed wins).

Written with historical models (services are not available in migrations), each with an audit
entry by `migration` so the log starts complete.
"""
from django.db import migrations

FLAGS = [
    {"key": "guest_checkout_v2", "enabled": True, "rollout_percentage": 100, "client_side": True, "archived": True,
     "description": "Single-page guest checkout (PR #4602). 100 % since CHKOUT-1952; the legacy flow is removed "
                    "(CHKOUT-1955), so the flag is archived."},
    {"key": "apple_pay", "enabled": True, "rollout_percentage": 100, "client_side": True,
     "description": "Apple Pay for guest and registered users (CHKOUT-1940). The page still shows the button only "
                    "on eligible browsers; the kill switch hides it everywhere."},
    {"key": "express_checkout", "enabled": False, "rollout_percentage": 0, "client_side": True,
     "rules": [{"when": "signed_in = true AND has_saved_card = true AND has_default_address = true"}],
     "description": "One-click purchase with a 5-second confirmation window (CHKOUT-1970, stretch goal). Off; "
                    "when on, only signed-in users with a saved card and a default address qualify."},
    {"key": "checkout_progress_dots", "enabled": True, "rollout_percentage": 100, "client_side": True,
     "description": "Progress indicator variant B (step dots), the winner of EXP-2025-163. Its own flag so it "
                    "rolls back independently of the guest checkout release."},
    {"key": "self_service_returns", "enabled": False, "rollout_percentage": 10, "client_side": True,
     "description": "Self-service returns portal v2.0.0. Off until the canary is stable for 4 h; then staged "
                    "10 % → 50 % → 100 % by raising the rollout percentage."},
]

EXPERIMENT = {
    "experiment_id": "EXP-2025-163", "key": "checkout_progress_indicator",
    "name": "Checkout progress indicator",
    "hypothesis": "A different progress indicator raises completion from the shipping step to confirmation.",
    "variants": [
        {"key": "control", "weight": 50, "flag_value": False, "description": "4-step text breadcrumb"},
        {"key": "variant_a", "weight": 25, "flag_value": False,
         "description": "Animated progress bar with time remaining"},
        {"key": "variant_b", "weight": 25, "flag_value": True, "description": "Minimal step dots"},
    ],
    "control_key": "control", "status": "concluded", "winner": "variant_b",
    "start_event": "shipping_completed", "conversion_event": "order_confirmed",
    "funnel_events": ["checkout_started", "shipping_completed", "payment_completed", "order_confirmed"],
    "segment_attribute": "device",
}


def state(flag) -> dict:
    return {"description": flag.description, "enabled": flag.enabled, "kill_switch": flag.kill_switch,
            "on_value": flag.on_value, "fallback_value": flag.fallback_value,
            "rollout_percentage": float(flag.rollout_percentage), "rules": flag.rules,
            "prerequisites": flag.prerequisites, "client_side": flag.client_side, "archived": flag.archived}


def create(apps, schema_editor):
    flag_model = apps.get_model("experiments", "Flag")
    audit_model = apps.get_model("experiments", "FlagAuditEntry")
    experiment_model = apps.get_model("experiments", "Experiment")
    for config in FLAGS:
        flag, created = flag_model.objects.get_or_create(key=config["key"], defaults=config)
        if created:
            audit_model.objects.create(flag=flag, actor_label="migration", action="create",
                                       reason="system flag (0002_system_flags)", before=None, after=state(flag))
    experiment_model.objects.get_or_create(
        experiment_id=EXPERIMENT["experiment_id"],
        defaults={**EXPERIMENT, "flag": flag_model.objects.get(key="checkout_progress_dots")},
    )


def remove(apps, schema_editor):
    apps.get_model("experiments", "Experiment").objects.filter(experiment_id=EXPERIMENT["experiment_id"]).delete()
    apps.get_model("experiments", "FlagAuditEntry").objects.filter(flag__key__in=[f["key"] for f in FLAGS]).delete()
    apps.get_model("experiments", "Flag").objects.filter(key__in=[f["key"] for f in FLAGS]).delete()


class Migration(migrations.Migration):
    dependencies = [("experiments", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]

"""Feature flags, experiments, exposures and analytics events.

Flags and experiments are small configuration tables read into process memory (see `store.py`);
`AnalyticsEvent` is the large, append-only fact table the dashboards read.
"""
from django.conf import settings
from django.contrib.postgres.indexes import BrinIndex, GinIndex
from django.db import models


def serve_true() -> bool:
    return True


def serve_false() -> bool:
    return False


class Flag(models.Model):
    """A feature flag, evaluated in this order (see `evaluation.py`):

    kill switch → off → prerequisites → targeting rules (first match wins) → percentage rollout.
    Anything that does not serve `on_value` serves `fallback_value`. Changed only through
    `services.flags` so that every change is audited and invalidates the caches.
    """

    key = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, default="")
    enabled = models.BooleanField(default=False, help_text="On/off. Off serves the fallback value to everyone.")
    kill_switch = models.BooleanField(
        default=False, help_text="Emergency stop: serves the fallback value to everyone, whatever else is set.")
    on_value = models.JSONField(default=serve_true, blank=True, help_text="Served to units the flag targets.")
    fallback_value = models.JSONField(default=serve_false, blank=True, help_text="Served when the flag does not apply.")
    rollout_percentage = models.DecimalField(
        max_digits=6, decimal_places=3, default=0,
        help_text="Share of units (0–100) served the on value when no targeting rule matches.")
    rules = models.JSONField(
        default=list, blank=True,
        help_text="""Ordered targeting rules: [{"when": "region = 'us-east-1' AND percentage < 5", "value": true}]."""
                  """ "value" defaults to the on value.""")
    prerequisites = models.JSONField(
        default=list, blank=True,
        help_text='Flags that must serve a value first: [{"flag": "guest_checkout_v2", "value": true}].')
    client_side = models.BooleanField(default=False, help_text="Exposed to page JavaScript for the current visitor.")
    archived = models.BooleanField(default=False, help_text="Retired: frozen at its last configuration.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class FlagAuditEntry(models.Model):
    """One change to a flag: who, when, what, and the flag's state before and after."""

    flag = models.ForeignKey(Flag, on_delete=models.PROTECT, related_name="audit_entries")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(max_length=200, help_text="Who made the change (kept if the user is deleted).")
    action = models.CharField(max_length=40)
    reason = models.TextField(blank=True, default="")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "flag audit entries"

    def __str__(self) -> str:
        return f"{self.flag.key} {self.action} by {self.actor_label}"


class Experiment(models.Model):
    """An A/B(/n) test: variants with planned weights, bucketed by `key`, measured on analytics events.

    `variants` is `[{"key": "control", "weight": 50, "flag_value": false}, ...]`; `flag_value`
    is what the linked flag serves once that variant is concluded the winner.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        RUNNING = "running", "Running"
        CONCLUDED = "concluded", "Concluded"

    experiment_id = models.CharField(max_length=40, unique=True, help_text="Public id, e.g. EXP-2025-163.")
    key = models.SlugField(max_length=100, unique=True, help_text="Bucketing salt, e.g. checkout_progress_indicator.")
    name = models.CharField(max_length=200)
    hypothesis = models.TextField(blank=True, default="")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    variants = models.JSONField(default=list)
    control_key = models.CharField(max_length=60, default="control")
    eligibility = models.CharField(max_length=500, blank=True, default="",
                                   help_text="Optional targeting expression; only matching units enter.")
    flag = models.ForeignKey(Flag, null=True, blank=True, on_delete=models.PROTECT, related_name="experiments")
    start_event = models.CharField(max_length=80, default="shipping_completed",
                                   help_text="A unit enters the primary metric's denominator with this event.")
    conversion_event = models.CharField(max_length=80, default="order_confirmed")
    funnel_events = models.JSONField(
        default=list, blank=True,
        help_text="Ordered steps for drop-off and time-per-step, e.g. checkout_started … order_confirmed.")
    segment_attribute = models.CharField(max_length=60, default="device", blank=True,
                                         help_text="Context attribute for segment breakdowns (mobile/desktop).")
    winner = models.CharField(max_length=60, blank=True, default="")
    started_at = models.DateTimeField(null=True, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.experiment_id} {self.key}"

    @property
    def planned_allocation(self) -> dict[str, float]:
        return {v["key"]: float(v["weight"]) for v in self.variants}


class ExperimentExposure(models.Model):
    """The first time a unit was shown a variant; unique per (experiment, unit)."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="exposures")
    unit_id = models.CharField(max_length=200)
    variant = models.CharField(max_length=60)
    first_exposed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["experiment", "unit_id"], name="exposure_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.experiment_id}:{self.unit_id}={self.variant}"


class AnalyticsEvent(models.Model):
    """One tracked event (Segment's `track`), append-only.

    Partition-friendly: nothing references it, rows are never updated, and every query filters
    on `occurred_at` (BRIN index: tiny, and rows arrive in time order), so the table can be turned
    into monthly range partitions on `occurred_at` without changing a query.
    """

    occurred_at = models.DateTimeField()
    event = models.CharField(max_length=80)
    unit_id = models.CharField(max_length=200, blank=True, default="")
    user_id = models.CharField(max_length=64, blank=True, default="")
    session_id = models.CharField(max_length=200, blank=True, default="")
    properties = models.JSONField(default=dict, blank=True)
    context = models.JSONField(default=dict, blank=True)
    experiments = models.JSONField(default=dict, blank=True, help_text="{experiment_id: variant} at track time.")

    class Meta:
        indexes = [
            BrinIndex(fields=["occurred_at"], name="analytics_occurred_brin"),
            models.Index(fields=["event", "occurred_at"], name="analytics_event_time_idx"),
            GinIndex(fields=["experiments"], name="analytics_experiments_gin"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.unit_id} {self.occurred_at:%Y-%m-%d %H:%M:%S}"

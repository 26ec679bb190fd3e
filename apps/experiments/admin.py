"""Ops admin for flags and experiments. Every save goes through the services, so the admin's
changes are validated, audited (shown inline, read-only) and invalidate every process's cache."""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from apps.core.errors import ApplicationError

from . import rules
from .models import AnalyticsEvent, Experiment, ExperimentExposure, Flag, FlagAuditEntry
from .services.experiments import experiment_start, experiment_validate_variants
from .services.flags import (
    EDITABLE_FIELDS,
    flag_create,
    flag_kill,
    flag_revive,
    flag_set_archived,
    flag_update,
    flag_validate,
)
from .store import config_changed


class FlagAuditInline(admin.TabularInline):
    model = FlagAuditEntry
    fields = ("created_at", "actor_label", "action", "reason", "before", "after")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-created_at", "-id")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class FlagAdminForm(forms.ModelForm):
    reason = forms.CharField(required=False, help_text="Why (kept in the audit log).")

    class Meta:
        model = Flag
        fields = ("key", *EDITABLE_FIELDS)

    def clean(self):
        """Run the services' whole-flag checks (rules parse, prerequisites exist, no cycles) here,
        so a mistake shows on the form instead of failing the save."""
        cleaned = super().clean()
        if self.instance.archived or self.errors:
            return cleaned
        candidate = Flag(key=cleaned.get("key") or self.instance.key,
                         **{name: cleaned.get(name, getattr(self.instance, name)) for name in EDITABLE_FIELDS})
        try:
            flag_validate(candidate)
        except ApplicationError as error:
            raise ValidationError(error.message) from error
        return cleaned


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    form = FlagAdminForm
    list_display = ("key", "enabled", "kill_switch", "rollout_percentage", "client_side", "archived", "updated_at")
    list_filter = ("enabled", "kill_switch", "archived", "client_side")
    search_fields = ("key", "description")
    inlines = [FlagAuditInline]
    actions = ["engage_kill_switch", "release_kill_switch", "archive", "unarchive"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("key", *EDITABLE_FIELDS) if obj.archived else ("key",)

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("reason", "")
        data = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name in form.cleaned_data}
        if change:
            saved = flag_update(flag=Flag.objects.get(pk=obj.pk), actor=request.user, data=data, reason=reason)
        else:
            saved = flag_create(key=form.cleaned_data["key"], actor=request.user, reason=reason, **data)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _apply(self, request, queryset, change, label):
        for flag in queryset:
            try:
                change(flag=flag, actor=request.user, reason=f"admin action: {label}")
            except ApplicationError as error:
                self.message_user(request, f"{flag.key}: {error.message}", messages.ERROR)
        self.message_user(request, f"{label}: done for {queryset.count()} flag(s).")

    @admin.action(description="Engage kill switch (serve fallback to everyone)")
    def engage_kill_switch(self, request, queryset):
        self._apply(request, queryset, flag_kill, "kill switch engaged")

    @admin.action(description="Release kill switch")
    def release_kill_switch(self, request, queryset):
        self._apply(request, queryset, flag_revive, "kill switch released")

    @admin.action(description="Archive (freeze)")
    def archive(self, request, queryset):
        self._apply(request, queryset, lambda **kw: flag_set_archived(archived=True, **kw), "archived")

    @admin.action(description="Unarchive")
    def unarchive(self, request, queryset):
        self._apply(request, queryset, lambda **kw: flag_set_archived(archived=False, **kw), "unarchived")


@admin.register(FlagAuditEntry)
class FlagAuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "flag", "action", "actor_label", "reason")
    list_filter = ("action",)
    search_fields = ("flag__key", "actor_label", "reason")
    readonly_fields = ("flag", "actor", "actor_label", "action", "reason", "before", "after", "created_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ExperimentAdminForm(forms.ModelForm):
    class Meta:
        model = Experiment
        fields = ("experiment_id", "key", "name", "hypothesis", "variants", "control_key", "eligibility", "flag",
                  "start_event", "conversion_event", "funnel_events", "segment_attribute")

    def clean(self):
        cleaned = super().clean()
        try:
            if "variants" in cleaned:
                experiment_validate_variants(cleaned["variants"], cleaned.get("control_key", "control"))
            if (cleaned.get("eligibility") or "").strip():
                rules.parse(cleaned["eligibility"])
        except ApplicationError as error:
            raise ValidationError(error.message) from error
        return cleaned


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    form = ExperimentAdminForm
    list_display = ("experiment_id", "key", "name", "status", "winner", "flag", "started_at", "concluded_at")
    list_filter = ("status",)
    search_fields = ("experiment_id", "key", "name")
    actions = ["start"]

    def get_readonly_fields(self, request, obj=None):
        frozen = ("status", "winner", "started_at", "concluded_at")
        if obj is not None and obj.status != Experiment.Status.DRAFT:
            # Changing a started experiment's variants or key would re-bucket units mid-test.
            frozen += ("experiment_id", "key", "variants", "control_key", "eligibility", "flag")
        return frozen

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        config_changed()

    @admin.action(description="Start (begin assigning units)")
    def start(self, request, queryset):
        for experiment in queryset:
            try:
                experiment_start(experiment=experiment)
            except ApplicationError as error:
                self.message_user(request, f"{experiment.experiment_id}: {error.message}", messages.ERROR)


@admin.register(ExperimentExposure)
class ExperimentExposureAdmin(admin.ModelAdmin):
    list_display = ("experiment", "unit_id", "variant", "first_exposed_at")
    list_filter = ("experiment", "variant")
    readonly_fields = ("experiment", "unit_id", "variant", "first_exposed_at")


@admin.register(AnalyticsEvent)
class AnalyticsEventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "event", "unit_id")
    list_filter = ("event",)
    readonly_fields = ("occurred_at", "event", "unit_id", "user_id", "session_id", "properties", "context",
                       "experiments")
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

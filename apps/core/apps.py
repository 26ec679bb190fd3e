"""Core app: the HTTP layer every API shares (request ids, errors, limits, idempotency, health)."""
from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"

    def ready(self) -> None:
        from django.core.checks import register
        from django.core.signals import request_finished

        from . import after_response, checks, tracing  # noqa: F401 — after_response: its request signals
        from .context import clear_request_context
        from .logging import install_redacting_record_factory

        register(checks.beat_scheduler_check)
        install_redacting_record_factory()
        tracing.configure()
        request_finished.connect(clear_request_context, dispatch_uid="core.clear_request_context")

"""Core app: the HTTP layer every API shares (request ids, errors, limits, idempotency, health)."""
from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"

    def ready(self) -> None:
        from django.core.signals import request_finished

        from . import checks, tracing  # noqa: F401 (checks registers the deploy checks on import)
        from .context import clear_request_context
        from .logging import install_redacting_record_factory

        install_redacting_record_factory()
        tracing.configure()
        request_finished.connect(clear_request_context, dispatch_uid="core.clear_request_context")

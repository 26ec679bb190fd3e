"""System checks of the tax app: a TAX_PROVIDER that names no provider stops the process at start-up
(`tax.E001`) instead of failing the first checkout."""
from django.conf import settings
from django.core.checks import Error

from .providers.base import PROVIDERS


def tax_provider_check(app_configs=None, **kwargs) -> list[Error]:
    configured = getattr(settings, "TAX_PROVIDER", None)
    if configured in PROVIDERS:
        return []
    return [Error(
        f"TAX_PROVIDER is {configured!r}, which is not a tax provider.",
        hint=f"Set the TAX_PROVIDER environment variable to one of: {', '.join(sorted(PROVIDERS))} "
             "(table = the rates in the ops admin, stripe = Stripe Tax).",
        id="tax.E001",
    )]

"""Whether self-service returns are on for a shopper: the experiments app's `self_service_returns`
flag (staged rollout by user or session), or SELF_SERVICE_RETURNS_ENABLED, which forces it on
everywhere (local development, or an emergency override without touching the flag).

Test orders (the deploy smoke test) bypass the flag: the seed's smoke test runs before it is on.
"""
from django.conf import settings

from apps.experiments.public import context_from_request, flags

FLAG_KEY = "self_service_returns"


def returns_enabled(context: dict) -> bool:
    """`context` is the flag context: `user_id` for signed-in shoppers, `session_id` for guests."""
    return settings.SELF_SERVICE_RETURNS_ENABLED or flags.is_enabled(FLAG_KEY, context)


def returns_enabled_for_order(context: dict, *, is_test_order: bool) -> bool:
    return is_test_order or returns_enabled(context)


def flag_context(request) -> dict:
    return context_from_request(request)

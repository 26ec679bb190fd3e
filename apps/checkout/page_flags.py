"""The one place the shopper pages read feature flags, so the flag service is swapped in one line."""
from django.http import HttpRequest

from apps.experiments.public import context_from_request, is_enabled


def flag_on(request: HttpRequest, key: str, **attributes) -> bool:
    """Whether flag `key` is on for this visitor (extra targeting attributes such as `has_saved_card`)."""
    return is_enabled(key, context_from_request(request, **attributes))

"""Template context for every shop page: whether to link to the returns pages (header, footer, home
page), which follows the `self_service_returns` flag for this shopper, like the pages themselves."""
from django.http import HttpRequest

from .flags import flag_context, returns_enabled


def returns_links(request: HttpRequest) -> dict:
    if request.path.startswith(("/api/", "/admin/", "/merchant/")):
        return {}
    return {"returns_enabled": returns_enabled(flag_context(request))}

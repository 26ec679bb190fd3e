"""Template context: the current visitor's client-side flags, evaluated lazily (only pages that
render them pay for it, and never with a database query)."""
from functools import cache

from .public import context_from_request, evaluate_all


def visitor_flags(request) -> dict:
    """`visitor_flags`: {key: value} of client-side flags for this visitor. Templates call it on
    first use; render it for page JavaScript with `{% flags_json %}` (a JSON script tag)."""

    @cache
    def evaluated() -> dict:
        return evaluate_all(context_from_request(request), client_side_only=True)

    return {"visitor_flags": evaluated}

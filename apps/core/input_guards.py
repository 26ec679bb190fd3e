"""Input that must never reach a view: control characters in the path or query, JSON nested too deep.

Both used to end as 500s — PostgreSQL refuses a NUL in any text parameter ("A string literal cannot
contain NUL"), and a body nested a few thousand levels exhausts the JSON parser's recursion — so they
are refused here, once for every view, instead of in each lookup:

- a control character (C0 or DEL) in the path → 404: no id or page name contains one;
- in a query parameter's name or value → 422 `INVALID_FORMAT` on the API (the parameter is the field),
  404 on pages (no listing is filtered by one);
- a JSON body deeper than `MAX_JSON_DEPTH` → 400 `MALFORMED_JSON`, measured without parsing (a scan
  over brackets outside strings), after the body-size limit has bounded the body.
"""
import re

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

from .errors import FieldError, ValidationFailed, error_json_response
from .middleware import is_api_path

MAX_JSON_DEPTH = 32
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# A JSON string (escapes included) or a bracket; anything else between them is skipped by finditer.
_JSON_STRING_OR_BRACKET = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
_OPENING = frozenset(b"[{")


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when `body` opens more than `limit` arrays/objects at once (strings are skipped)."""
    depth = 0
    for token in _JSON_STRING_OR_BRACKET.finditer(body):
        first = token.group()[0]
        if first in _OPENING:
            depth += 1
            if depth > limit:
                return True
        elif first != ord('"'):
            depth -= 1
    return False


def first_control_character_parameter(request: HttpRequest) -> str | None:
    for name, values in request.GET.lists():
        if CONTROL_CHARACTERS.search(name) or any(CONTROL_CHARACTERS.search(value) for value in values):
            return name
    return None


class ControlCharacterMiddleware:
    """404 for a control character in the path; 422 (API) or 404 (pages) for one in the query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if CONTROL_CHARACTERS.search(request.path):
            raise Http404("No page or resource has a control character in its address.")
        parameter = first_control_character_parameter(request)
        if parameter is None:
            return self.get_response(request)
        if not is_api_path(request.path):
            raise Http404("No page is filtered by a value with control characters.")
        failed = ValidationFailed([FieldError(
            field=CONTROL_CHARACTERS.sub("?", parameter), code="INVALID_FORMAT",
            message="Query parameters may not contain control characters (NUL, newline, tab, …); remove them.",
            constraint="Printable characters only")])
        return JsonResponse(failed.body(), status=failed.status_code)


class JsonDepthLimitMiddleware:
    """400 `MALFORMED_JSON` for a JSON body nested deeper than MAX_JSON_DEPTH, before any parser sees it.

    Runs in process_view after BodySizeLimitMiddleware, so the body it reads is already bounded.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS") or "json" not in request.content_type:
            return None
        try:
            body = request.body
        except RequestDataTooBig:
            return None  # answered 413 wherever the body is read next
        if not json_depth_exceeds(body):
            return None
        return error_json_response(
            400, "MALFORMED_JSON",
            f"The request body nests arrays/objects more than {MAX_JSON_DEPTH} levels deep; flatten it.")

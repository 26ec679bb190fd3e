"""The project's JSON renderer (REST_FRAMEWORK's only default): UTF-8, compact, and every `Decimal`
written as its own digits (`129.50`), the way the seeds' responses write money.

DRF's encoder turns a `Decimal` into a `float` (`129.5`, or binary noise). Here each Decimal is
swapped for a marker string, the document is encoded as usual, and the markers are replaced by the
Decimal's text. The marker carries a random nonce per response, so no string a client sent can
pass for one.
"""
import json
import re
import secrets
from decimal import Decimal

from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder


def _mark_decimals(value, mark: str):
    if isinstance(value, Decimal):
        return f"{mark}{value:f}" if value.is_finite() else str(value)
    if isinstance(value, dict):
        return {key: _mark_decimals(item, mark) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mark_decimals(item, mark) for item in value]
    return value


class JSONRenderer(renderers.JSONRenderer):
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        mark = f"dec:{secrets.token_hex(8)}:"
        text = json.dumps(_mark_decimals(data, mark), cls=JSONEncoder, ensure_ascii=False, separators=(",", ":"))
        return re.sub(f'"{re.escape(mark)}(-?\\d+(?:\\.\\d+)?)"', r"\1", text).encode("utf-8")

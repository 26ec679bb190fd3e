"""The project's JSON renderer (REST_FRAMEWORK's only default): UTF-8, compact, and every `Decimal`
written as its own digits (`129.50`), the way the seeds' responses write money.

DRF's encoder turns a `Decimal` into a `float` (`129.5`, or binary noise). Here each Decimal is
swapped for a marker string, the document is encoded as usual, and the markers are replaced by the
Decimal's text. The marker carries a random nonce per response, so no string a client sent can
pass for one. The replacing pattern is compiled once (the nonce is compared in the replacement), and
a response without any Decimal skips it.
"""
import json
import re
import secrets
from decimal import Decimal

from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder

MARKED = re.compile(r'"dec:([0-9a-f]{16}):(-?\d+(?:\.\d+)?)"')


def _mark_decimals(value, mark: str, marked: list):
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        marked.append(True)
        return f"{mark}{value:f}"
    if isinstance(value, dict):
        return {key: _mark_decimals(item, mark, marked) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mark_decimals(item, mark, marked) for item in value]
    return value


class JSONRenderer(renderers.JSONRenderer):
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        nonce, marked = secrets.token_hex(8), []
        data = _mark_decimals(data, f"dec:{nonce}:", marked)
        text = json.dumps(data, cls=JSONEncoder, ensure_ascii=False, separators=(",", ":"))
        if marked:
            text = MARKED.sub(lambda match: match[2] if match[1] == nonce else match[0], text)
        return text.encode("utf-8")

"""JSON renderer that writes money as the seeds do: `129.50`, a number with two decimals.

DRF's encoder turns `Decimal` into `float` (`129.5`). Here each Decimal is swapped for a marker
string, the document is encoded as usual, and the markers are replaced by the Decimal's exact text.
"""
import json
import re
from decimal import Decimal

from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_MARK = "\u0000dec:"
_MARKER_RE = re.compile(r'"\\u0000dec:(-?\d+(?:\.\d+)?)"')


def _mark_decimals(value):
    if isinstance(value, Decimal):
        return f"{_MARK}{value:f}"
    if isinstance(value, dict):
        return {key: _mark_decimals(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mark_decimals(item) for item in value]
    return value


class MoneyJSONRenderer(JSONRenderer):
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        text = json.dumps(_mark_decimals(data), cls=JSONEncoder, ensure_ascii=False, separators=(",", ":"))
        return _MARKER_RE.sub(r"\1", text).encode("utf-8")

"""The JSON renderer writes each Decimal as its own digits, and nothing a client sent can pass for one."""
from decimal import Decimal

import pytest

from apps.core.renderers import JSONRenderer


@pytest.mark.parametrize(("data", "expected"), [
    ({"total": Decimal("129.50")}, b'{"total":129.50}'),
    ({"lines": [Decimal("-1.00"), Decimal("0.10")]}, b'{"lines":[-1.00,0.10]}'),
    ({"odd": Decimal("NaN")}, b'{"odd":"NaN"}'),
    ({"ok": True, "name": "Café"}, '{"ok":true,"name":"Café"}'.encode()),
])
def test_decimals_are_written_as_their_digits(data, expected):
    assert JSONRenderer().render(data) == expected


def test_a_string_shaped_like_a_marker_stays_a_string():
    # given: a client's text in the marker's shape, next to a real Decimal
    forged = "dec:0123456789abcdef:12"
    # when
    rendered = JSONRenderer().render({"note": forged, "total": Decimal("5.00")})
    # then
    assert rendered == b'{"note":"dec:0123456789abcdef:12","total":5.00}'

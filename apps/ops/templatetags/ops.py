"""Number formatting for the staff pages (rates as percentages, lifts as signed points)."""
from django import template

register = template.Library()


@register.filter
def pct(value, digits: int = 2) -> str:
    """0.6731 → '67.31 %'; None → '—'."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{digits}f} %"


@register.filter
def points(value) -> str:
    """An absolute lift in percentage points: 0.028 → '+2.80 pp'."""
    if value is None:
        return "—"
    return f"{float(value) * 100:+.2f} pp"


@register.filter
def signed_pct(value) -> str:
    if value is None:
        return "—"
    return f"{float(value) * 100:+.2f} %"


@register.filter
def interval(pair, kind: str = "pct") -> str:
    """A (low, high) pair as '[a, b]' in the same unit as `kind` (pct, points or signed_pct)."""
    if not pair:
        return "—"
    formatter = {"pct": pct, "points": points, "signed_pct": signed_pct}[kind]
    return f"[{formatter(pair[0])}, {formatter(pair[1])}]"


@register.filter
def pvalue(value) -> str:
    if value is None:
        return "—"
    value = float(value)
    return "< 1e-300" if value == 0 else (f"{value:.2e}" if value < 0.0001 else f"{value:.4f}")


@register.filter
def seconds(value) -> str:
    if value is None:
        return "—"
    minutes, secs = divmod(float(value), 60)
    return f"{int(minutes)} min {secs:.0f} s" if minutes else f"{secs:.1f} s"

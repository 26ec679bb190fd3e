"""Serializer fields every API shares (money has its own module, `apps.core.money`)."""
from datetime import UTC, datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class BlankAsNullField(serializers.CharField):
    """A text column stored blank when unknown, answered as `null` (a carrier not known yet, no order yet)."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, **kwargs)

    def to_representation(self, value) -> str | None:
        return str(value) if value else None


@extend_schema_field(OpenApiTypes.DATETIME)
class EpochUtcField(serializers.Field):
    """A Unix timestamp (what Redis-held records keep) answered as `2025-10-15T10:45:12Z`."""

    def to_representation(self, value: float) -> str:
        return datetime.fromtimestamp(value, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class WholeBodySerializer(serializers.Serializer):
    """A PATCH body validated whole, its required fields required: drf-spectacular documents every PATCH body
    as partial (it sets `partial = True` on a copy, as DRF's UpdateModelMixin would), so `partial` stays False
    whatever is set. Views using it never pass `partial=True`."""

    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value: bool) -> None:
        """Ignored: the body is always validated whole."""


class ExactRegexField(serializers.RegexField):
    """A string that must match `regex` whole, as sent: the pattern must end in `\\Z` (Python's `$` also matches
    before a final newline, so `"USD\\n"` passed `^[A-Za-z]{3}$`), and whitespace is not trimmed first, so a
    trailing newline or space is a 422 rather than silently dropped. The OpenAPI schema shows `\\Z` as `$`."""

    def __init__(self, regex: str, **kwargs):
        if not regex.startswith("^") or not regex.endswith(r"\Z"):
            raise ValueError(f"ExactRegexField needs a pattern anchored with ^ and \\Z, not {regex!r}")
        super().__init__(regex, trim_whitespace=False, **kwargs)

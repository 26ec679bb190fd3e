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

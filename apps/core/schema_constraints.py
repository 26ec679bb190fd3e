"""Constraints the API enforces that drf-spectacular cannot see, written into the OpenAPI schema, so a client
generated from `/api/schema/` never sends what the server refuses (`make proof`'s fuzzing found 27 operations
answering 422 to schema-valid input; `vantage/tests/test_schema_constraints.py` keeps them honest):

- `schema_hint(minLength=16)` passed as a field's `style` adds keywords to that field's schema, for a rule
  checked outside the field's own validators (a service, a `validate_<field>` method with its own error code),
  so the rule stays where it is and keeps its error code and message;
- a serializer class attribute `openapi_extra = {"oneOf": [...]}` adds keywords to its component: rules that
  tie fields together (a threshold's type decides which value it needs);
- `constraints_document` (a POSTPROCESSING_HOOKS entry) gives every free-text string of a request body a
  pattern: DRF trims text fields before checking them (a blank string after trimming is "required", a
  length is the trimmed one) and refuses a NUL (`ProhibitNullCharactersValidator`), so the schema asks for
  trimmed text without NUL. Every query parameter additionally refuses control characters
  (`apps.core.input_guards.ControlCharacterMiddleware`). Strings with their own pattern, format or enum keep
  theirs.
"""
from drf_spectacular import openapi
from rest_framework import serializers

from .schema import HTTP_METHODS

HINT_STYLE_KEY = "openapi"
DEFERRED_KEY = "x-vantage-deferred"


def _trimmed_text_pattern(forbidden: str) -> str:
    r"""Empty, or text that neither starts nor ends with whitespace and has no character of `forbidden`
    (a regex character-class body). Valid in Python and ECMAScript alike; `str.strip()` also strips
    \x1c-\x1f and \x85, which ECMAScript's `\s` (what schemathesis applies) leaves out, so they are named."""
    edge = rf"[^\s\x1c-\x1f\x85{forbidden}]"
    return rf"^(?:{edge}(?:[^{forbidden}]*{edge})?)?$"


# `\x00` as the two characters backslash-x-0-0: the schema shows the escape, not a raw NUL.
BODY_TEXT_PATTERN = _trimmed_text_pattern(r"\x00")
QUERY_TEXT_PATTERN = _trimmed_text_pattern(r"\x00-\x1f\x7f")  # input_guards.CONTROL_CHARACTERS


def schema_hint(**keywords) -> dict:
    """A field's `style` that adds OpenAPI keywords to its schema: `CharField(style=schema_hint(minLength=16))`;
    a keyword set to None is removed (`format=None` where a pattern says more than drf-spectacular's format)."""
    return {HINT_STYLE_KEY: keywords}


def _merge(schema: dict, keywords: dict) -> None:
    for key, value in keywords.items():
        if value is None:
            schema.pop(key, None)
        else:
            schema[key] = value


def _list_lengths(field: serializers.ListSerializer) -> dict:
    """minItems/maxItems of a nested `Serializer(many=True, allow_empty=False, min_length=…, max_length=…)`,
    which drf-spectacular leaves out."""
    lengths = {}
    least = max(field.min_length or 0, 0 if field.allow_empty else 1)
    if least:
        lengths["minItems"] = least
    if field.max_length is not None:
        lengths["maxItems"] = field.max_length
    return lengths


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema plus the hints above (DEFAULT_SCHEMA_CLASS). Field hints go in after the
    field's validators are mapped, so a hint also overrides what a validator implies (a URLField's format)."""

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if isinstance(field, serializers.ListSerializer):
            schema.update(_list_lengths(field))
        _merge(schema, (getattr(field, "style", None) or {}).get(HINT_STYLE_KEY, {}))

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        extra = getattr(serializer, "openapi_extra", None)
        if extra:
            # Merged by `constraints_document`, after drf-spectacular's enum hook: that hook would take the
            # one-value enums of a oneOf for choice sets of their own and rename the real ones.
            schema[DEFERRED_KEY] = extra
        return schema


def _is_free_text(node: dict) -> bool:
    return node.get("type") == "string" and not {"format", "enum", "pattern", "$ref"} & node.keys()


def _constrain_text(node, pattern: str) -> None:
    """Give every free-text string under `node` (properties, items, maps, combinations) `pattern`."""
    if isinstance(node, list):
        for item in node:
            _constrain_text(item, pattern)
        return
    if not isinstance(node, dict):
        return
    if _is_free_text(node):
        node["pattern"] = pattern
    for child in (node.get("properties") or {}).values():
        _constrain_text(child, pattern)
    for key in ("items", "additionalProperties", "allOf", "oneOf", "anyOf"):
        _constrain_text(node.get(key), pattern)


def _request_schemas(result: dict):
    """Every request body schema: the `…Request` components (COMPONENT_SPLIT_REQUEST) and inline bodies."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            yield schema
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                for media in (operation.get("requestBody") or {}).get("content", {}).values():
                    if "$ref" not in media.get("schema", {}):
                        yield media.get("schema", {})


def constraints_document(result, generator, request, public):
    """drf-spectacular POSTPROCESSING_HOOKS entry, after the enum hook (enums are components by then): the
    serializers' `openapi_extra`, then the text patterns."""
    for schema in result.get("components", {}).get("schemas", {}).values():
        _merge(schema, schema.pop(DEFERRED_KEY, {}))
    for schema in _request_schemas(result):
        _constrain_text(schema, BODY_TEXT_PATTERN)
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    _constrain_text(parameter.get("schema"), QUERY_TEXT_PATTERN)
    return result

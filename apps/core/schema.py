"""OpenAPI post-processing: every `/api/` operation documents the one error envelope for its 4xx answers.

Any API call can be refused by the shared HTTP layer before its view runs (400 malformed JSON, 401/403,
404, 413 body too large, 422 validation, 429 rate limited), so the schema says so once for all
operations as a `4XX` response: `{"error", "message", "request_id"}` or, for validation,
`{"errors": [{field, code, message, constraint}], "request_id"}`. Operations that document a specific
4xx keep it. (`make proof`'s fuzzing found 4xx answers the schema did not describe.)
"""
HTTP_METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}

ERROR_ENVELOPE = {
    "type": "object", "required": ["error", "message"],
    "properties": {"error": {"type": "string"}, "message": {"type": "string"},
                   "request_id": {"type": "string", "nullable": True}},
}
VALIDATION_ENVELOPE = {
    "type": "object", "required": ["errors"],
    "properties": {
        "errors": {"type": "array", "items": {
            "type": "object", "required": ["field", "code", "message"],
            "properties": {name: {"type": "string"} for name in ("field", "code", "message", "constraint")}}},
        "request_id": {"type": "string", "nullable": True},
    },
}
CLIENT_ERROR_RESPONSE = {
    "description": "Refused: the error envelope (or, for 422, the validation envelope) says why and how to fix it.",
    "content": {"application/json": {"schema": {"oneOf": [
        {"$ref": "#/components/schemas/ErrorEnvelope"}, {"$ref": "#/components/schemas/ValidationErrorEnvelope"}]}}},
}


def error_responses_document(result, generator, request, public):
    """drf-spectacular POSTPROCESSING_HOOKS entry."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorEnvelope", ERROR_ENVELOPE)
    schemas.setdefault("ValidationErrorEnvelope", VALIDATION_ENVELOPE)
    for path, item in result.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, operation in item.items():
            if method in HTTP_METHODS:
                operation.setdefault("responses", {}).setdefault("4XX", CLIENT_ERROR_RESPONSE)
    return result

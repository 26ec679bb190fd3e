"""The OpenAPI document as the tests read it: every operation with its documented 2xx response, turned
into plain JSON Schema (OpenAPI 3.0's `nullable` becomes a `null` alternative, objects refuse
properties they do not document, `multipleOf` is a Decimal), plus a walk that finds every money
value in a raw response body."""
import copy
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from drf_spectacular.generators import SchemaGenerator

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    status: int
    schema: dict | None  # the documented JSON body of `status`, None when the answer has no body


@cache
def openapi() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def operations() -> list[Operation]:
    found = []
    for path, item in openapi()["paths"].items():
        for method in HTTP_METHODS:
            if method not in item:
                continue
            responses = item[method]["responses"]
            status = min(int(code) for code in responses if code.isdigit() and code.startswith("2"))
            content = responses[str(status)].get("content", {})
            schema = content.get("application/json", {}).get("schema")
            found.append(Operation(item[method]["operationId"], method, path, status, schema))
    return found


def _strict(node):
    """OpenAPI 3.0 schema → JSON Schema: `nullable` as an explicit null, undocumented keys refused."""
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _strict(value) for key, value in node.items()}
    if isinstance(node.get("multipleOf"), float):  # 273.47 / 0.01 is not whole in binary floating point
        node["multipleOf"] = Decimal(str(node["multipleOf"]))
    if node.get("type") == "object" and "properties" in node:
        node.setdefault("additionalProperties", False)
    if node.pop("nullable", False):
        if "enum" in node:
            node["enum"] = [*node["enum"], None]
        node = {"anyOf": [node, {"type": "null"}]}
    return node


def json_schema(operation: Operation) -> dict:
    """The operation's response schema with the document's components alongside, so `$ref`s resolve.
    Validate bodies parsed with `parse_decimal` (numbers as Decimal, so `multipleOf: 0.01` is exact)."""
    schema = _strict(copy.deepcopy(operation.schema))
    return {**schema, "components": {"schemas": _strict(copy.deepcopy(openapi()["components"]["schemas"]))}}


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = openapi()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def is_money(schema: dict) -> bool:
    return schema.get("type") == "number" and schema.get("multipleOf") == 0.01


def has_money(schema: dict | None, seen: frozenset = frozenset()) -> bool:
    """Whether a money field appears anywhere in the schema (components followed)."""
    if not schema:
        return False
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return name not in seen and has_money(_resolve(schema), seen | {name})
    if is_money(schema):
        return True
    children = [*schema.get("properties", {}).values(), *schema.get("allOf", []), *schema.get("oneOf", []),
                *schema.get("anyOf", [])]
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            children.append(schema[key])
    return any(has_money(child, seen) for child in children)


def parse_decimal(text: str):
    return json.loads(text, parse_float=Decimal)


class RawNumber(str):
    """A JSON number exactly as the response wrote it."""


def parse_raw(text: str):
    return json.loads(text, parse_float=RawNumber, parse_int=RawNumber)


def money_values(value, schema: dict, where: str = "$") -> list[tuple[str, object]]:
    """(location, raw token) of every value the schema documents as money (nulls left out)."""
    schema = _resolve(schema)
    if is_money(schema):
        return [] if value is None else [(where, value)]
    found = []
    for alternative in (*schema.get("allOf", []), *schema.get("oneOf", []), *schema.get("anyOf", [])):
        found += money_values(value, alternative, where)
    if isinstance(value, dict):
        for key, item in value.items():
            child = schema.get("properties", {}).get(key, schema.get("additionalProperties"))
            if isinstance(child, dict):
                found += money_values(item, child, f"{where}.{key}")
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            found += money_values(item, schema["items"], f"{where}[{index}]")
    return found

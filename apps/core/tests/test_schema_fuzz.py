"""Every operation of the OpenAPI schema fed bad input over HTTP: never a 5xx.

Two passes over `/api/schema/`, with a merchant token, the service token and a signed-in staff user,
so that authenticated operations are reached (the demo shop is loaded so lookups find rows):

1. a fixed matrix of the input classes that used to crash — control characters (NUL first) in every
   path and query parameter, integers past 64 bits, floats at the edge of overflow, JSON nested past
   the depth limit, strings with NUL and wrong JSON types in every top-level body property, each on
   top of a schema-valid body drawn by schemathesis;
2. schemathesis' own generation, a few schema-violating (negative) and valid (positive) cases per
   operation (`FUZZ_EXAMPLES`), bounded by `FUZZ_SECONDS` in all.

The bounds keep both tests under about a minute; `make proof` runs the long, live-stack fuzz.
"""
import json
import time
from io import StringIO
from urllib.parse import quote, urlencode

import pytest
import schemathesis
from django.conf import settings
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core import NotSet

pytestmark = pytest.mark.django_db

FUZZ_EXAMPLES = 3
FUZZ_SECONDS = 25
CONTROL_VALUES = ["\x00", "prod_\x00", "cart_\x00x", "\n", "\x1f\x7f"]
PATH_VALUES = [*CONTROL_VALUES, "9" * 40, "-1", "%", "..", "x" * 300]
QUERY_VALUES = [*CONTROL_VALUES, str(2**64), "-" + str(2**64), "1e308", "NaN"]
BODY_VALUES = ["\x00", "a\x00b", 2**64, -(2**64), 2**31, 1e308, -1e308, [[[[]]]], {"k": "\x00"}, [], None, True,
               json.loads("[" * 40 + "]" * 40)]


@pytest.fixture
def fuzz_client(client, local_stripe, django_user_model):
    return as_every_caller(client, django_user_model, username="fuzz")


def as_every_caller(client, user_model, *, username: str):
    """The Django test client as every kind of caller at once: merchant, internal service and staff, with
    the demo shop loaded (the local Stripe server must be running)."""
    call_command("seed_demo", stdout=StringIO())
    token = StringIO()
    call_command("issue_token", "--merchant", "demo", stdout=token, stderr=StringIO())
    client.force_login(user_model.objects.create_user(username=username, password=f"pw-{username}-123",
                                                      is_staff=True))
    client.raise_request_exception = False
    client.defaults.update(HTTP_AUTHORIZATION=f"Bearer {token.getvalue().strip().splitlines()[-1]}",
                           HTTP_X_SERVICE_AUTH=f"Bearer {settings.SERVICE_AUTH_TOKENS[0]}")
    return client


@pytest.fixture
def schema(client) -> dict:
    return json.loads(client.get("/api/schema/", {"format": "json"}).content)


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


class RawJson(str):
    """A body sent as written (one the json module itself could not build or read back)."""


def send(client, method: str, path: str, *, query: dict | None = None, body=NotSet, headers: dict | None = None,
         media_type: str = "application/json"):
    url = path + ("?" + urlencode(query or {}, doseq=True) if query else "")
    kwargs = {"headers": {k: str(v) for k, v in (headers or {}).items()}}
    if not isinstance(body, NotSet):
        raw = isinstance(body, (RawJson, bytes))
        kwargs.update(data=body if raw else json.dumps(body), content_type=media_type)
    return getattr(client, method.lower())(url, **kwargs)


def filled_path(template: str, values: dict) -> str:
    for name, value in values.items():
        template = template.replace("{" + name + "}", quote(str(value), safe=""))
    return template


def record_5xx(failures: list, label: str, response, what: str) -> None:
    if response.status_code >= 500:
        failures.append(f"{label} {what}: {response.status_code}")


def draw_one(strategy):
    drawn = []

    @hypothesis_settings(max_examples=1, database=None, deadline=None, derandomize=True,
                         suppress_health_check=list(HealthCheck))
    @given(strategy)
    def capture(case):
        drawn.append(case)

    capture()
    return drawn[-1]


def bad_variants(operation, valid):
    """(what, path, query, body) of each bad request built from one valid case of `operation`."""
    path_values = {name: "x" for name in (valid.path_parameters or {})}
    query, body = dict(valid.query or {}), valid.body
    path = filled_path(operation.path, path_values)
    for name in path_values:
        for value in PATH_VALUES:
            yield f"{name}={value!r}", filled_path(operation.path, {**path_values, name: value}), query, body
    for name in [p["name"] for p in operation.definition.raw.get("parameters", []) if p["in"] == "query"]:
        for value in QUERY_VALUES:
            yield f"?{name}={value!r}", path, {**query, name: value}, body
    if isinstance(body, dict):
        for name in body or {"_": None}:
            for value in BODY_VALUES:
                yield f"body.{name}={str(value)[:20]!r}", path, query, {**body, name: value}
    if not isinstance(body, NotSet):
        yield "3,000 levels deep body", path, query, RawJson("[" * 3000 + "]" * 3000)


def test_bad_input_classes_never_answer_5xx_on_any_operation(fuzz_client, schema):
    # given every operation and a schema-valid case for it
    failures = []
    for result in schemathesis.openapi.from_dict(schema).get_all_operations():
        operation = result.ok()
        valid = draw_one(operation.as_strategy(generation_mode=GenerationMode.POSITIVE))

        # when each path parameter, then each query parameter, then each body property is a bad value
        for what, path, query, body in bad_variants(operation, valid):
            response = send(fuzz_client, operation.method, path, query=query, body=body)
            record_5xx(failures, f"{operation.method.upper()} {operation.path}", response, what)

    # then
    assert failures == []


def test_schemathesis_cases_never_answer_5xx(fuzz_client, schema):
    # given schemathesis' schema-violating and valid cases for every operation, bounded in number and time
    loaded = schemathesis.openapi.from_dict(schema)
    deadline = time.monotonic() + FUZZ_SECONDS
    failures, sent = [], 0

    for result in loaded.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.NEGATIVE, GenerationMode.POSITIVE):
            if time.monotonic() > deadline:
                break

            @hypothesis_settings(max_examples=FUZZ_EXAMPLES, database=None, deadline=None, derandomize=True,
                                 suppress_health_check=list(HealthCheck))
            @given(operation.as_strategy(generation_mode=mode))
            def fuzz(case):
                nonlocal sent
                # when
                response = send(fuzz_client, case.method, filled_path(case.operation.path, case.path_parameters or {}),
                                query=case.query, body=case.body, media_type=case.media_type or "application/json",
                                headers={k: v for k, v in (case.headers or {}).items()
                                         if k.lower() not in ("authorization", "x-service-auth")})
                sent += 1
                if response.status_code >= 500:
                    failures.append(f"{case.method} {case.operation.path}: {response.status_code} "
                                    f"{response.content[:200]!r} ← query={case.query!r} body={case.body!r}")

            try:
                fuzz()
            except Unsatisfiable:
                continue  # nothing in this operation can be made schema-violating (no parameters, no body)

    # then
    assert sent >= len(list(operations(schema)))
    assert failures == []

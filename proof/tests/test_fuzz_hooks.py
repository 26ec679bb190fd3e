"""What the fuzzer's hooks put on each request, from made-up cases: its own client IP, the credentials the
operation documents, and a live guest session on every other call of the session endpoints."""
import importlib
import json
from types import SimpleNamespace

import pytest

CREDENTIALS = {"merchant_token": "vnt_merchant", "staff": {"session_key": "skey", "csrf_token": "c" * 32},
               "guest_session": {"id": "guest:sess:live", "token": "tok_live"}}


@pytest.fixture
def hooks(monkeypatch):
    monkeypatch.setenv("PROOF_FUZZ_CREDENTIALS", json.dumps(CREDENTIALS))
    from proof import fuzz_hooks

    return importlib.reload(fuzz_hooks)


def case(path: str, security=None, **path_parameters):
    operation = SimpleNamespace(path=path, definition=SimpleNamespace(raw={"security": security} if security else {}))
    return SimpleNamespace(operation=operation, headers={"Idempotency-Key": "generated"},
                           path_parameters=path_parameters)


def test_every_request_comes_from_its_own_client_ip_with_the_merchant_token(hooks):
    cases = [case("/api/v2/checkout/guest") for _ in range(300)]
    for each in cases:
        hooks.before_call(None, each, {})

    assert len({each.headers["X-Forwarded-For"] for each in cases}) == 300
    assert all(each.headers["Authorization"] == "Bearer vnt_merchant" for each in cases)
    assert all(each.headers["Idempotency-Key"] == "generated" and "Cookie" not in each.headers for each in cases)


@pytest.mark.parametrize(("security", "signed_in"), [
    ([{"cookieAuth": []}], 4),                          # the cookie is the only way in: every call
    ([{"merchantToken": []}, {"cookieAuth": []}], 2),   # another way in: every other call
    ([{"cookieAuth": []}, {}], 2),
    (None, 0),
])
def test_the_staff_session_goes_where_the_operation_takes_a_cookie(hooks, security, signed_in):
    cases = [case("/api/v1/payment-methods", security) for _ in range(4)]
    for each in cases:
        hooks.before_call(None, each, {})

    with_cookie = [each for each in cases if "Cookie" in each.headers]
    assert len(with_cookie) == signed_in
    for each in with_cookie:
        assert each.headers["Cookie"] == f"sessionid=skey; csrftoken={'c' * 32}"
        assert each.headers["X-CSRFToken"] == "c" * 32


def test_every_other_session_call_uses_the_live_session_and_its_token(hooks):
    cases = [case(hooks.SESSION_PATH, session_id="generated") for _ in range(4)]
    for each in cases:
        hooks.before_call(None, each, {})

    live = [each for each in cases if each.path_parameters["session_id"] == "guest:sess:live"]
    assert len(live) == 2
    assert all(each.headers["Authorization"] == "Bearer tok_live" for each in live)
    assert all(each.headers["Authorization"] == "Bearer vnt_merchant" for each in cases if each not in live)

"""Schemathesis hooks (loaded through `SCHEMATHESIS_HOOKS`) that give each generated request the client and
credentials a real caller would have, so the fuzzer reaches the logic behind the front door:

- every request comes from its own client IP (`X-Forwarded-For`; the stack trusts one proxy hop, as for the
  load's shoppers). From one IP the per-client limits (10 checkouts a minute) answered 429 to nearly every
  generated checkout, session and returns request, so their bodies were never validated. The limits themselves
  are proven by `apps/core/tests/test_ratelimit.py`, not by the fuzzer;
- operations documented with `cookieAuth` get a signed-in staff user's session cookie and CSRF token (always
  when the cookie is the only way in: saved cards, default address, analytics; every other call when the
  operation also takes a merchant token or no credentials, so both paths are fuzzed);
- every other call on a guest session's own endpoints uses a live session and its bearer token (the rest keep
  the generated id and the merchant token, which must answer 401/404), so PATCH bodies reach validation.

Credentials come from `PROOF_FUZZ_CREDENTIALS` (JSON) written by `proof.fuzz.credentials_prepare`; headers are
set on the case, since schemathesis lets `--header` values override them.
"""
import itertools
import json
import os

import schemathesis

CREDENTIALS = json.loads(os.environ.get("PROOF_FUZZ_CREDENTIALS") or "{}")
SESSION_PATH = "/api/v2/checkout/guest/session/{session_id}"
_calls = itertools.count(1)


def client_ip(number: int) -> str:
    """A distinct address per request, cycling through 10.0.0.0/8."""
    return f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"


@schemathesis.hook
def before_call(context, case, kwargs):
    number = next(_calls)
    headers = {**(case.headers or {}), "X-Forwarded-For": client_ip(number),
               "Authorization": f"Bearer {CREDENTIALS['merchant_token']}"}
    security = case.operation.definition.raw.get("security") or [{}]
    schemes = {name for requirement in security for name in requirement}
    cookie_only = all("cookieAuth" in requirement for requirement in security)
    staff = CREDENTIALS.get("staff")
    if staff and "cookieAuth" in schemes and (cookie_only or number % 2):
        headers["Cookie"] = f"sessionid={staff['session_key']}; csrftoken={staff['csrf_token']}"
        headers["X-CSRFToken"] = staff["csrf_token"]
    session = CREDENTIALS.get("guest_session")
    if session and case.operation.path == SESSION_PATH and number % 2:
        case.path_parameters = {**(case.path_parameters or {}), "session_id": session["id"]}
        headers["Authorization"] = f"Bearer {session['token']}"
    case.headers = headers

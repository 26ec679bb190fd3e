"""Schemathesis against the live stack's `/api/schema/`: every operation, with the service token, a merchant
token, a signed-in staff user and a live guest session (`proof/fuzz_hooks.py` says which request gets which,
and why each request has its own client IP), so authenticated endpoints are reached; checks: no 5xx and
responses (status, content type, body, headers) as the schema documents them. Bounded by `--max-examples`
per operation and `--max-time` for the whole run.
"""
import json
import secrets
import subprocess
import time
import urllib.request
from pathlib import Path

from .config import LOAD_PRODUCTS
from .supervisor import ROOT, SERVICE_TOKEN, VENV_BIN, Stack

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance," \
         "response_headers_conformance"


def fuzz_run(stack: Stack, *, merchant_token: str, max_examples: int, max_seconds: int, out_dir: Path) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    credentials = credentials_prepare(stack, merchant_token=merchant_token)
    env = {**stack.env, "SCHEMATHESIS_HOOKS": str(ROOT / "proof" / "fuzz_hooks.py"),
           "PROOF_FUZZ_CREDENTIALS": json.dumps(credentials)}
    argv = [str(VENV_BIN / "schemathesis"), "run", f"{stack.base_url}/api/schema/", "--url", stack.base_url,
            "--checks", CHECKS, "--max-examples", str(max_examples), "--max-time", str(max_seconds),
            "--header", f"X-Service-Auth: Bearer {SERVICE_TOKEN}",
            "--request-timeout", "30", "--workers", "2", "--seed", "20261123", "--no-color",
            "--continue-on-failure", "--suppress-health-check", "all", "--generation-database", "none",
            "--report", "junit,ndjson", "--report-dir", str(out_dir)]
    started = time.time()
    result = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=max_seconds + 300)
    (out_dir / "schemathesis.txt").write_text(result.stdout + result.stderr)
    summary = summarize_ndjson(out_dir)
    summary.update(exit_code=result.returncode, seconds=round(time.time() - started, 1),
                   max_examples=max_examples, max_seconds=max_seconds)
    return summary


def credentials_prepare(stack: Stack, *, merchant_token: str) -> dict:
    """What `fuzz_hooks` sends: the merchant token, a staff user's session (cookie + CSRF token) and a live
    guest session (a cart and `POST /api/v2/checkout/guest/session`, as a shopper makes one)."""
    session_key = stack.manage("shell", "-c", STAFF_SESSION_CODE).strip().splitlines()[-1]
    cart = _post_json(stack, "/api/v1/carts", {"items": [{"product_id": LOAD_PRODUCTS[0], "quantity": 1}]})
    session = _post_json(stack, "/api/v2/checkout/guest/session",
                         {"cart_id": cart["cart_id"], "email": "fuzz@example.com"})
    return {"merchant_token": merchant_token,
            "staff": {"session_key": session_key, "csrf_token": secrets.token_hex(16)},
            "guest_session": {"id": session["session_id"], "token": session["session_token"]}}


STAFF_SESSION_CODE = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
user, _ = get_user_model().objects.get_or_create(username="proof-fuzz", defaults={"is_staff": True})
session = SessionStore()
session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash()})
session.create()
print(session.session_key)
"""


def _post_json(stack: Stack, path: str, body: dict) -> dict:
    request = urllib.request.Request(  # noqa: S310 - the stack's own local URL
        stack.base_url + path, data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "X-Forwarded-For": "10.255.0.1"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the stack's own local URL
        return json.loads(response.read())


def summarize_ndjson(out_dir: Path) -> dict:
    """Operations tested and failures by check, read from schemathesis' NDJSON event stream."""
    operations, failures = set(), []
    for path in out_dir.glob("*.ndjson"):
        for line in path.read_text().splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            failures.extend(failures_in(event, operations))
    unique = list({(f["operation"], f["check"], f["message"]): f for f in failures}.values())
    by_check: dict[str, int] = {}
    for failure in unique:
        by_check[failure["check"]] = by_check.get(failure["check"], 0) + 1
    return {"operations": len(operations), "failures": len(unique), "failing_cases": len(failures),
            "by_check": by_check, "examples": unique[:40]}


def failures_in(event: dict, operations: set) -> list[dict]:
    found = []
    for kind, body in event.items():
        if kind != "ScenarioFinished" or not isinstance(body, dict):
            continue
        label = (body.get("recorder") or {}).get("label") or ""
        operations.add(label)
        for _case_id, case in (body.get("recorder", {}).get("checks") or {}).items():
            for check in case:
                if str(check.get("status", "")).lower() == "failure":
                    failure = (check.get("failure_info") or {}).get("failure", {})
                    message = " ".join(str(failure.get("message", "")).split())[:160]
                    found.append({"operation": label, "check": check.get("name", ""),
                                  "message": f"{failure.get('code', '')} {failure.get('title', '')}: {message}"})
    return found

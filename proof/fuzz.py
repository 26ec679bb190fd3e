"""Schemathesis against the live stack's `/api/schema/`: every operation, with the service token and
a merchant token, so authenticated endpoints are reached; checks: no 5xx and responses (status,
content type, body, headers) as the schema documents them. Bounded by `--max-examples` per
operation and `--max-time` for the whole run.
"""
import json
import subprocess
import time
from pathlib import Path

from .supervisor import ROOT, SERVICE_TOKEN, VENV_BIN, Stack

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance," \
         "response_headers_conformance"


def fuzz_run(stack: Stack, *, merchant_token: str, max_examples: int, max_seconds: int, out_dir: Path) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    argv = [str(VENV_BIN / "schemathesis"), "run", f"{stack.base_url}/api/schema/", "--url", stack.base_url,
            "--checks", CHECKS, "--max-examples", str(max_examples), "--max-time", str(max_seconds),
            "--header", f"X-Service-Auth: Bearer {SERVICE_TOKEN}",
            "--header", f"Authorization: Bearer {merchant_token}",
            "--request-timeout", "30", "--workers", "2", "--seed", "20261123", "--no-color",
            "--continue-on-failure", "--suppress-health-check", "all", "--generation-database", "none",
            "--report", "junit,ndjson", "--report-dir", str(out_dir)]
    started = time.time()
    result = subprocess.run(argv, cwd=ROOT, env=stack.env, capture_output=True, text=True,
                            timeout=max_seconds + 300)
    (out_dir / "schemathesis.txt").write_text(result.stdout + result.stderr)
    summary = summarize_ndjson(out_dir)
    summary.update(exit_code=result.returncode, seconds=round(time.time() - started, 1),
                   max_examples=max_examples, max_seconds=max_seconds)
    return summary


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

"""The report: `reports/proof-<UTC time>.md` for people and `.json` with every number for tools.

`verdict` is pure (unit-tested): the run passes only when every must-be-zero number is zero and the
fuzzer found neither a 5xx nor a response the schema does not describe.
"""
import json
from pathlib import Path

MUST_BE_ZERO = (
    ("sessions lost", ("sessions", "lost")),
    ("orders lost (client saw 201)", ("orders", "lost")),
    ("paid at Stripe but absent/unpaid in the database", ("orders", "paid_at_stripe_but_absent")),
    ("duplicate charges", ("stripe", "duplicate_charges")),
    ("events lost", ("events", "total")),
    ("Redis evicted_keys", ("redis", "evicted_keys")),
    ("processes that died on their own (restarted by the harness)", ("crashes", "count")),
    ("fuzz failures (5xx or schema mismatch)", ("fuzz", "failures")),
)


def dig(data: dict, path: tuple[str, ...]):
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def verdict(results: dict) -> dict:
    checks = []
    for label, path in MUST_BE_ZERO:
        value = dig(results, path)
        if value is not None:
            checks.append({"check": label, "value": value, "ok": value == 0})
    return {"pass": bool(checks) and all(c["ok"] for c in checks), "checks": checks}


def report_write(results: dict, base: Path) -> tuple[Path, Path]:
    results["verdict"] = verdict(results)
    markdown, data = Path(f"{base}.md"), Path(f"{base}.json")
    data.write_text(json.dumps(results, indent=2, default=str))
    markdown.write_text(render(results))
    return markdown, data


def render(r: dict) -> str:
    v = r["verdict"]
    lines = [f"# Proof run {r['started_at']} ({r['mode']} mode)", "",
             f"**Verdict: {'PASS' if v['pass'] else 'FAIL'}** — finished {r.get('finished_at', '?')}; "
             f"raw data and logs in `{r['run_dir']}`.", "", "| must be 0 | value |", "|---|---|"]
    lines += [f"| {c['check']} | {c['value']}{'' if c['ok'] else ' ✗'} |" for c in v["checks"]]
    lines += ["", "Parameters: " + ", ".join(f"{k}={val}" for k, val in r["config"].items() if k != "ports"), ""]
    if "fuzz" in r:
        lines += render_fuzz(r["fuzz"])
    if "load" in r:
        lines += render_load(r) + render_faults(r) + render_crashes(r.get("crashes", {}))
    return "\n".join(lines) + "\n"


def render_fuzz(f: dict) -> list[str]:
    lines = ["## Fuzz (schemathesis on /api/schema/)", "",
             f"{f['operations']} operations, ≤{f['max_examples']} examples each, {f['seconds']} s "
             f"(limit {f['max_seconds']} s); failures: {f['failures']} {f['by_check'] or ''}", ""]
    lines += [f"- `{e['operation']}` {e['check']}: {e['message']}" for e in f["examples"][:20]]
    return lines + [""]


def render_load(r: dict) -> list[str]:
    load, sessions, orders, stripe = r["load"], r["sessions"], r["orders"], r["stripe"]
    lines = ["## Load (locust, guest sessions)", "",
             f"Target {load['users_target']} concurrent shoppers; held at most {load['max_users']} shoppers and "
             f"{load['max_open_sessions']} open sessions at once (median {load.get('median_open_sessions', 0)}) "
             f"over {load['seconds']} s; {load['requests']} requests, error rate {load['error_rate']:.3%} "
             "(faults included).", "",
             f"Sessions: {sessions['created']} created, {sessions.get('completed', 0)} completed, "
             f"{sessions.get('abandoned', 0)} abandoned, {sessions.get('checkout_failed', 0)} whose checkout "
             f"failed, {sessions.get('open', 0)} open at the end, "
             f"lost {sessions['lost']}; read back at the end: {sessions['verified_at_end']}.", "",
             f"Orders: {orders['client_201']} answered 201, {orders['paid_in_db']} paid in the database, "
             f"lost {orders['lost']}; paid at Stripe but absent {orders['paid_at_stripe_but_absent']}; "
             f"checkouts given up after retrying {orders['checkouts_given_up_after_retrying']} "
             f"{orders['given_up_by_status'] or ''} {orders.get('given_up_by_error') or ''}. "
             f"Stripe: {stripe['intents']} intents, {stripe['succeeded']} "
             f"succeeded, duplicate charges {stripe['duplicate_charges']}.", "",
             f"Events: {r['events']['outbox_rows']} outbox rows, {r['events']['consumed_distinct']} distinct "
             f"events consumed; undelivered {r['events']['undelivered_outbox_rows']}, delivered but never consumed "
             f"{r['events']['delivered_not_consumed']}, paid orders without `order_confirmed` "
             f"{r['events']['paid_orders_without_order_confirmed']}. Redis evicted_keys: {r['redis']['evicted_keys']}.",
             "", "| endpoint | requests | failed | p50 ms | p99 ms | by status |", "|---|---|---|---|---|---|"]
    for name, s in sorted(load["stats"].items()):
        lines.append(f"| {name} | {s['requests']} | {s['failures']} | {s['p50_ms']:.0f} | {s['p99_ms']:.0f} | "
                     f"{load['status_counts'].get(name, {})} |")
    return lines + [""]


def render_faults(r: dict) -> list[str]:
    lines = ["## Faults (each while the load runs)", "",
             "| fault | requests failed (by status) | client recovery s | backlog drained s | notes |",
             "|---|---|---|---|---|"]
    for w in r["faults"]:
        impact = r["fault_impact"].get(w["name"], {})
        drained = f"{w['recovered'] - w['restored']:.1f}" if w["recovered"] else "not drained"
        lines.append(f"| {w['description']} | {impact.get('failed', 0)} {impact.get('by_status', {})} | "
                     f"{impact.get('client_recovery_seconds', 0)} | {drained} | {w['notes'] or ''} |")
    lines += ["", "Orders lost, duplicate charges and events lost are counted over the whole run (table above): "
              "a fault that lost one would show there. Failed requests are attributed to a fault from its start "
              "until the next fault (or the settle time after it).", ""]
    return lines


def render_crashes(crashes: dict) -> list[str]:
    if not crashes.get("details"):
        return []
    lines = ["## Processes that died on their own", "",
             "Each was restarted by the harness (as a process manager would) so the drill could go on:", ""]
    for crash in crashes["details"]:
        lines.append(f"- `{crash['name']}` exited with {crash['exit_code']} during {crash['during']}; log tail:")
        lines += [f"  > {line}" for line in crash["log_tail"]]
    return lines + [""]

"""Flag writes. Every change goes through here: validated, audited (who, when, before/after),
and followed by a configuration version bump so every process reloads its cached rules."""
from decimal import Decimal, InvalidOperation

from django.db import transaction

from ..errors import FlagArchived, InvalidFlagConfig
from ..evaluation import compile_flag
from ..models import Flag, FlagAuditEntry
from ..store import config_changed

EDITABLE_FIELDS = ("description", "enabled", "kill_switch", "on_value", "fallback_value", "rollout_percentage",
                   "rules", "prerequisites", "client_side")


def flag_state(flag: Flag) -> dict:
    """The flag's configuration as plain JSON (the audit log's before/after)."""
    state = {name: getattr(flag, name) for name in (*EDITABLE_FIELDS, "archived")}
    state["rollout_percentage"] = float(state["rollout_percentage"])
    return state


def actor_label(actor) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return actor.get_username() or f"user:{actor.pk}"


def flag_validate(flag: Flag) -> None:
    """Whole-flag checks; raises InvalidFlagConfig / InvalidRule with a message that says what to fix."""
    try:
        percentage = Decimal(str(flag.rollout_percentage))
    except InvalidOperation as exc:
        raise InvalidFlagConfig("rollout_percentage must be a number between 0 and 100.") from exc
    if not Decimal(0) <= percentage <= Decimal(100):
        raise InvalidFlagConfig("rollout_percentage must be between 0 and 100.")
    if not isinstance(flag.rules, list) or not all(isinstance(r, dict) and "when" in r for r in flag.rules):
        raise InvalidFlagConfig('rules must be a list of {"when": "<condition>", "value": <optional value>}.')
    if not isinstance(flag.prerequisites, list) or not all(
            isinstance(p, dict) and isinstance(p.get("flag"), str) for p in flag.prerequisites):
        raise InvalidFlagConfig('prerequisites must be a list of {"flag": "<key>", "value": <value>}.')
    compile_flag(key=flag.key, enabled=flag.enabled, kill_switch=flag.kill_switch, on_value=flag.on_value,
                 fallback_value=flag.fallback_value, rollout_percentage=percentage, rules_config=flag.rules,
                 prerequisites=flag.prerequisites, client_side=flag.client_side, archived=flag.archived)
    _check_prerequisites(flag)


def _check_prerequisites(flag: Flag) -> None:
    """Prerequisites must exist and must not lead back to this flag."""
    graph = {f.key: [p["flag"] for p in f.prerequisites] for f in Flag.objects.exclude(key=flag.key)}
    graph[flag.key] = [p["flag"] for p in flag.prerequisites]
    for key in graph[flag.key]:
        if key not in graph:
            raise InvalidFlagConfig(f"Prerequisite flag {key!r} does not exist; create it first.")
    seen, stack = set(), list(graph[flag.key])
    while stack:
        key = stack.pop()
        if key == flag.key:
            raise InvalidFlagConfig(f"Prerequisites of {flag.key!r} lead back to itself; remove the cycle.")
        if key not in seen:
            seen.add(key)
            stack.extend(graph.get(key, []))


def _audit(*, flag: Flag, actor, action: str, before: dict | None, reason: str) -> FlagAuditEntry:
    return FlagAuditEntry.objects.create(
        flag=flag, actor=actor if actor is not None and not isinstance(actor, str) else None,
        actor_label=actor_label(actor), action=action, reason=reason, before=before, after=flag_state(flag),
    )


@transaction.atomic
def flag_create(*, key: str, actor=None, reason: str = "", **config) -> Flag:
    """Create a flag; `config` takes any of EDITABLE_FIELDS (off, 0 %, no rules by default)."""
    unknown = set(config) - set(EDITABLE_FIELDS) - {"archived"}
    if unknown:
        raise InvalidFlagConfig(f"Unknown flag fields: {', '.join(sorted(unknown))}.")
    if Flag.objects.filter(key=key).exists():
        raise InvalidFlagConfig(f"A flag with key {key!r} already exists.")
    flag = Flag(key=key, **config)
    flag_validate(flag)
    flag.save()
    _audit(flag=flag, actor=actor, action="create", before=None, reason=reason)
    config_changed()
    return flag


@transaction.atomic
def flag_update(*, flag: Flag, actor=None, data: dict, reason: str = "") -> Flag:
    """Change any of EDITABLE_FIELDS; archived flags are frozen (only the kill switch still works)."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidFlagConfig(f"Unknown flag fields: {', '.join(sorted(unknown))}.")
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.archived and set(data) - {"kill_switch"}:
        raise FlagArchived(f"Flag {flag.key!r} is archived; unarchive it before changing it.")
    before = flag_state(flag)
    for name, value in data.items():
        setattr(flag, name, value)
    flag_validate(flag)
    if flag_state(flag) == before:
        return flag
    flag.save()
    action = "update"
    if set(data) == {"kill_switch"}:
        action = "kill_switch_on" if flag.kill_switch else "kill_switch_off"
    _audit(flag=flag, actor=actor, action=action, before=before, reason=reason)
    config_changed()
    return flag


def flag_kill(*, flag: Flag, actor=None, reason: str = "") -> Flag:
    """The kill switch: everyone gets the fallback value at once, no deploy."""
    return flag_update(flag=flag, actor=actor, data={"kill_switch": True}, reason=reason)


def flag_revive(*, flag: Flag, actor=None, reason: str = "") -> Flag:
    return flag_update(flag=flag, actor=actor, data={"kill_switch": False}, reason=reason)


@transaction.atomic
def flag_set_archived(*, flag: Flag, archived: bool, actor=None, reason: str = "") -> Flag:
    """Archive (freeze at the current configuration) or unarchive a flag."""
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.archived == archived:
        return flag
    before = flag_state(flag)
    flag.archived = archived
    flag.save(update_fields=["archived", "updated_at"])
    _audit(flag=flag, actor=actor, action="archive" if archived else "unarchive", before=before, reason=reason)
    config_changed()
    return flag

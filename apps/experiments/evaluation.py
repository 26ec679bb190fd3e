"""Pure flag and experiment evaluation over an immutable snapshot of the configuration.

No I/O here: `store.py` builds the snapshot from the database and keeps it in memory, so an
evaluation is a few dict lookups, one sha256 and the compiled rule trees.
"""
from dataclasses import dataclass, field

from . import rules
from .bucketing import allocate, bucket

MAX_PREREQUISITE_DEPTH = 10


@dataclass(frozen=True)
class CompiledRule:
    tree: tuple
    value: object
    needs_bucket: bool


@dataclass(frozen=True)
class CompiledFlag:
    key: str
    enabled: bool
    kill_switch: bool
    on_value: object
    fallback_value: object
    rollout_percentage: float
    rules: tuple[CompiledRule, ...] = ()
    prerequisites: tuple[tuple[str, object], ...] = ()
    client_side: bool = False
    archived: bool = False


@dataclass(frozen=True)
class CompiledExperiment:
    pk: int
    experiment_id: str
    key: str
    weights: tuple[tuple[str, float], ...]
    control_key: str
    eligibility: tuple | None = None


@dataclass(frozen=True)
class Snapshot:
    """Everything evaluation needs, as loaded at one configuration version."""

    flags: dict[str, CompiledFlag] = field(default_factory=dict)
    running_experiments: dict[str, CompiledExperiment] = field(default_factory=dict)


def compile_flag(*, key: str, enabled: bool, kill_switch: bool, on_value, fallback_value, rollout_percentage,
                 rules_config: list, prerequisites: list, client_side: bool, archived: bool) -> CompiledFlag:
    """Validate and compile a flag's configuration; raises InvalidRule on a bad rule."""
    compiled_rules = []
    for rule in rules_config or []:
        tree = rules.parse(rule.get("when", "") if isinstance(rule, dict) else "")
        compiled_rules.append(CompiledRule(tree=tree, value=rule.get("value", on_value),
                                           needs_bucket=rules.uses_bucket(tree)))
    return CompiledFlag(
        key=key, enabled=enabled, kill_switch=kill_switch, on_value=on_value, fallback_value=fallback_value,
        rollout_percentage=float(rollout_percentage), rules=tuple(compiled_rules),
        prerequisites=tuple((p["flag"], p.get("value", True)) for p in prerequisites or []),
        client_side=client_side, archived=archived,
    )


def flag_value(snapshot: Snapshot, key: str, context: dict, unit_id: str, default=False, _depth: int = 0):
    """The value `key` serves this context; `default` when the flag does not exist."""
    flag = snapshot.flags.get(key)
    if flag is None or _depth > MAX_PREREQUISITE_DEPTH:
        return default
    if flag.kill_switch or not flag.enabled:
        return flag.fallback_value
    for prerequisite_key, expected in flag.prerequisites:
        if flag_value(snapshot, prerequisite_key, context, unit_id, None, _depth + 1) != expected:
            return flag.fallback_value
    position = bucket(key, unit_id) if unit_id else None
    for rule in flag.rules:
        if rules.matches(rule.tree, context, position):
            return rule.value
    if flag.rollout_percentage >= 100:
        return flag.on_value
    if position is not None and position < flag.rollout_percentage:
        return flag.on_value
    return flag.fallback_value


def experiment_variant(experiment: CompiledExperiment, context: dict, unit_id: str) -> str | None:
    """The variant this unit sees, or None (no unit, not eligible, or outside the allocation)."""
    if not unit_id:
        return None
    if experiment.eligibility is not None and not rules.matches(experiment.eligibility, context, None):
        return None
    return allocate(bucket(experiment.key, unit_id), list(experiment.weights))

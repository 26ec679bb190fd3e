"""Pure flag and experiment evaluation over an immutable snapshot of the configuration.

No I/O here: `store.py` builds the snapshot from the database and keeps it in memory. Rules are
compiled to functions when the snapshot is built, so an evaluation is a few dict lookups, the
compiled rules and, only when a percentage decides, one sha256 of the unit.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from . import rules
from .bucketing import allocate, bucket, unit_id_for

MAX_PREREQUISITE_DEPTH = 10


def _no_position(context: dict) -> None:
    return None


def _unit_position(salt: str) -> Callable[[dict], float | None]:
    """The context's unit's bucket for `salt` (None without a unit); computed on demand."""
    def position(context: dict) -> float | None:
        unit_id = unit_id_for(context)
        return bucket(salt, unit_id) if unit_id else None
    return position


@dataclass(frozen=True)
class CompiledFlag:
    key: str
    enabled: bool
    kill_switch: bool
    on_value: object
    fallback_value: object
    rollout_percentage: float
    rules: tuple[tuple[Callable[[dict], bool], object], ...] = ()  # (compiled condition, value served)
    prerequisites: tuple[tuple[str, object], ...] = ()
    client_side: bool = False
    archived: bool = False
    position: Callable[[dict], float | None] = _no_position


@dataclass(frozen=True)
class CompiledExperiment:
    pk: int
    experiment_id: str
    key: str
    weights: tuple[tuple[str, float], ...]
    control_key: str
    eligibility: Callable[[dict], bool] | None = None


@dataclass(frozen=True)
class Snapshot:
    """Everything evaluation needs, as loaded at one configuration version."""

    flags: dict[str, CompiledFlag] = field(default_factory=dict)
    running_experiments: dict[str, CompiledExperiment] = field(default_factory=dict)


def compile_flag(*, key: str, enabled: bool, kill_switch: bool, on_value, fallback_value, rollout_percentage,
                 rules_config: list, prerequisites: list, client_side: bool, archived: bool) -> CompiledFlag:
    """Validate and compile a flag's configuration; raises InvalidRule on a bad rule."""
    position = _unit_position(key)
    compiled_rules = []
    for rule in rules_config or []:
        tree = rules.parse(rule.get("when", "") if isinstance(rule, dict) else "")
        compiled_rules.append((rules.compile_rule(tree, position), rule.get("value", on_value)))
    return CompiledFlag(
        key=key, enabled=enabled, kill_switch=kill_switch, on_value=on_value, fallback_value=fallback_value,
        rollout_percentage=float(rollout_percentage), rules=tuple(compiled_rules),
        prerequisites=tuple((p["flag"], p.get("value", True)) for p in prerequisites or []),
        client_side=client_side, archived=archived, position=position,
    )


def compile_eligibility(text: str) -> Callable[[dict], bool] | None:
    """An experiment's eligibility rule (None when blank: everyone); raises InvalidRule. Experiments
    bucket on their own key, so `percentage` is never set here."""
    return rules.compile_rule(rules.parse(text), _no_position) if text.strip() else None


def flag_value(snapshot: Snapshot, key: str, context: dict, default=False, _depth: int = 0):
    """The value `key` serves this context; `default` when the flag does not exist."""
    flag = snapshot.flags.get(key)
    if flag is None or _depth > MAX_PREREQUISITE_DEPTH:
        return default
    if flag.kill_switch or not flag.enabled:
        return flag.fallback_value
    for prerequisite_key, expected in flag.prerequisites:
        if flag_value(snapshot, prerequisite_key, context, None, _depth + 1) != expected:
            return flag.fallback_value
    for condition, value in flag.rules:
        if condition(context):
            return value
    rollout = flag.rollout_percentage
    if rollout >= 100:
        return flag.on_value
    if rollout > 0:  # a position is never below 0, so a 0 % rollout needs no hash
        position = flag.position(context)
        if position is not None and position < rollout:
            return flag.on_value
    return flag.fallback_value


def experiment_variant(experiment: CompiledExperiment, context: dict, unit_id: str) -> str | None:
    """The variant this unit sees, or None (no unit, not eligible, or outside the allocation)."""
    if not unit_id:
        return None
    if experiment.eligibility is not None and not experiment.eligibility(context):
        return None
    return allocate(bucket(experiment.key, unit_id), list(experiment.weights))

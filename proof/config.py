"""Proof parameters: two modes (the issue's numbers, and a quick one for a busy 2-core machine) and ports.

Every number can be overridden on the command line (`python -m proof --help`).
"""
from dataclasses import dataclass, field, replace

LOAD_PRODUCTS = ("prod_cable_usbc", "prod_monitor_32in")  # demo products the shoppers buy


@dataclass(frozen=True)
class Ports:
    """127.0.0.1 ports of the stack under test (18000–18999, away from `make run`'s)."""

    web: int = 18080
    redis: int = 18379
    kafka: int = 18092
    stripe: int = 18111


@dataclass(frozen=True)
class ProofConfig:
    mode: str
    users: int                      # concurrent guest sessions held
    spawn_rate: float               # sessions started per second while ramping
    hold_seconds: int               # how long a shopper keeps a session before finishing it
    renew_seconds: int              # activity interval (GET/PATCH renews the TTL)
    complete_ratio: float           # share of sessions that end in a checkout (the rest are abandoned)
    settle_seconds: int             # steady load before the first fault and between faults
    redis_down_seconds: float       # Redis killed (SIGKILL) and started again after this long
    kafka_down_seconds: int         # broker stopped this long
    stripe_down_seconds: int        # local Stripe answers 502 this long
    fuzz_max_examples: int
    fuzz_max_seconds: int
    web_workers: int = 3
    web_threads: int = 8
    ports: Ports = field(default_factory=Ports)

    def with_overrides(self, **overrides) -> "ProofConfig":
        return replace(self, **{key: value for key, value in overrides.items() if value is not None})


FULL = ProofConfig(
    mode="full", users=4000, spawn_rate=40, hold_seconds=600, renew_seconds=60, complete_ratio=0.25,
    settle_seconds=60, redis_down_seconds=5, kafka_down_seconds=60, stripe_down_seconds=90,
    fuzz_max_examples=25, fuzz_max_seconds=900,
)
QUICK = ProofConfig(
    mode="quick", users=300, spawn_rate=30, hold_seconds=60, renew_seconds=10, complete_ratio=0.5,
    settle_seconds=20, redis_down_seconds=3, kafka_down_seconds=20, stripe_down_seconds=30,
    fuzz_max_examples=8, fuzz_max_seconds=240,
)
MODES = {"full": FULL, "quick": QUICK}

#!/usr/bin/env bash
# `make test`: hygiene checks, then the whole pytest suite on PostgreSQL, Redis and a real
# Kafka-compatible broker (the test session starts tansu on a free port unless
# KAFKA_BOOTSTRAP_SERVERS is set).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/vantage}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
# Embedded PostgreSQL / Redis where nothing answers at those local addresses, stopped when the run ends.
.venv/bin/python -m devtools.embedded start
trap '.venv/bin/python -m devtools.embedded stop' EXIT
.venv/bin/ruff check .
.venv/bin/lint-imports
.venv/bin/python manage.py makemigrations --check --dry-run
.venv/bin/python manage.py spectacular --validate --fail-on-warn --file /dev/null
# Tests are mostly I/O-bound (broker, servers, browsers): four workers keep a 2-core machine busy.
.venv/bin/pytest -n "${PYTEST_WORKERS:-4}" "$@"

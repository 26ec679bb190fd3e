#!/usr/bin/env bash
# `make run`: migrate, load demo data and start the Procfile's processes under honcho — web,
# worker and beat always; the bundled Kafka-compatible broker when KAFKA_BOOTSTRAP_SERVERS is
# unset; the local Stripe-compatible server when STRIPE_SECRET_KEY is unset; embedded PostgreSQL and
# Redis when nothing answers at DATABASE_URL / REDIS_URL (devtools/embedded.py). Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
export PORT=${PORT:-8000}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/vantage}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
.venv/bin/python -m devtools.embedded start
trap '.venv/bin/python -m devtools.embedded stop' EXIT
processes=(web worker beat)
if [ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]; then
  export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:${KAFKA_PORT:-9092}
  processes+=(broker)
fi
if [ -z "${STRIPE_SECRET_KEY:-}" ] && [ -f devtools/localstripe/server.py ]; then
  export LOCAL_STRIPE_PORT=${LOCAL_STRIPE_PORT:-12111}
  export STRIPE_API_BASE=http://127.0.0.1:$LOCAL_STRIPE_PORT STRIPE_SECRET_KEY=sk_test_local
  export STRIPE_WEBHOOK_SECRET=${STRIPE_WEBHOOK_SECRET:-whsec_local_dev} WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true
  processes+=(stripe)
fi
# Shopper emails go to files a developer can read (one .log file per message batch) unless configured.
export EMAIL_BACKEND=${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}
export EMAIL_FILE_PATH=${EMAIL_FILE_PATH:-$PWD/var/mail}
export SHOP_BASE_URL=${SHOP_BASE_URL:-http://127.0.0.1:$PORT}
mkdir -p var "$EMAIL_FILE_PATH"
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py seed_demo
cat <<MSG

  Vantage Commerce is starting on http://127.0.0.1:$PORT  (processes: ${processes[*]})
    shop         http://127.0.0.1:$PORT/
    API docs     http://127.0.0.1:$PORT/api/docs/
    ops admin    http://127.0.0.1:$PORT/admin/      (demo login: admin / admin)
    merchant     http://127.0.0.1:$PORT/merchant/   (demo login: merchant / merchant)
    health       http://127.0.0.1:$PORT/healthz
    emails       $EMAIL_FILE_PATH  (shopper emails, one file per send)
  Ctrl-C stops everything.

MSG
# Not exec: the EXIT trap stops the embedded servers once honcho has stopped the processes.
.venv/bin/honcho start "${processes[@]}"

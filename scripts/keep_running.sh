#!/usr/bin/env bash
# Run a command and start it again whenever it exits, logging each exit: the process manager of
# `make run` (honcho) does not restart a process that dies — as the Celery worker did when Redis restarted
# before apps/core/celery_transport.py (README "Proof") — and stops the whole stack instead.
#   scripts/keep_running.sh NAME COMMAND [ARGS...]
# Waits 1 s before a restart, doubling up to 30 s while the command keeps dying within a minute.
# SIGTERM/SIGINT (honcho's Ctrl-C) stop the command and this loop.
set -uo pipefail
name=$1
shift
child=""

stop() {
  trap - TERM INT
  if [ -n "$child" ]; then
    kill -TERM "$child" 2>/dev/null
    wait "$child" 2>/dev/null
  fi
  exit 0
}
trap stop TERM INT

log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) keep_running[$name]: $*" >&2; }

delay=1
while true; do
  started=$(date +%s)
  "$@" &
  child=$!
  wait "$child"
  status=$?
  child=""
  if [ $(( $(date +%s) - started )) -ge 60 ]; then
    delay=1
  fi
  log "exited with status $status; restarting in ${delay}s"
  sleep "$delay" &
  wait $!
  delay=$(( delay * 2 > 30 ? 30 : delay * 2 ))
done

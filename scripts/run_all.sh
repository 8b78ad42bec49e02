#!/usr/bin/env bash
# Starts the platform API (8000), the action server (5055) and Rasa (5005) on embedded defaults,
# waits until each answers, and stops all of them on Ctrl-C (or when one of them dies).
set -euo pipefail
cd "$(dirname "$0")/.."
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
PLATFORM_PORT=${PLATFORM_PORT:-8000}
MODEL="models/$(cat models/current)"
LOG_DIR=${LOG_DIR:-logs}
mkdir -p "$LOG_DIR"
export PYTHONPATH="$PWD" HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TF_CPP_MIN_LOG_LEVEL=2 RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1
export PLATFORM_API_URL=${PLATFORM_API_URL:-http://localhost:$PLATFORM_PORT}
# The action server authenticates to the platform with a bot token; a fresh random one per run unless
# the deployment provides it (it is never printed).
export PLATFORM_BOT_API_TOKEN=${PLATFORM_BOT_API_TOKEN:-$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')}

RUN_DIR=${RUN_DIR:-var/run}
mkdir -p "$RUN_DIR"
# The action server's port is configurable: Rasa gets an endpoints file pointing at it.
sed "s#http://localhost:5055/webhook#http://localhost:$ACTIONS_PORT/webhook#" endpoints.yml >"$RUN_DIR/endpoints.yml"

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo; echo "==> [run] stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "==> [run] stopped"
}
trap stop_all INT TERM EXIT

start() {  # name, log file, command...
  local name=$1 log=$2; shift 2
  echo "==> [run] starting $name (log: $log)"
  "$@" >"$log" 2>&1 &
  pids+=($!)
}

wait_for() {  # name, url, seconds
  local name=$1 url=$2 limit=$3 waited=0
  until curl -fsS -o /dev/null "$url"; do
    sleep 1; waited=$((waited + 1))
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "==> [run] a server exited; see $LOG_DIR/"; exit 1; }; done
    if (( waited >= limit )); then echo "==> [run] $name did not answer within ${limit}s"; exit 1; fi
  done
  echo "==> [run] $name ready: $url"
}

start "platform API" "$LOG_DIR/platform.log" .venv/app/bin/uvicorn server:app --host 127.0.0.1 --port "$PLATFORM_PORT"
start "action server" "$LOG_DIR/actions.log" .venv/app/bin/python -m rasa_sdk --actions actions --port "$ACTIONS_PORT"
start "Rasa" "$LOG_DIR/rasa.log" .venv/rasa/bin/rasa run --enable-api --cors "*" --model "$MODEL" \
  --endpoints "$RUN_DIR/endpoints.yml" --credentials credentials.yml --port "$RASA_PORT"

wait_for "platform API" "http://127.0.0.1:$PLATFORM_PORT/api/health" 120
wait_for "action server" "http://127.0.0.1:$ACTIONS_PORT/health" 120
wait_for "Rasa" "http://127.0.0.1:$RASA_PORT/status" 300
cat <<TXT
==> [run] all up. Try:
    curl -s localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender":"me","message":"你好"}'
    Platform API docs: http://localhost:$PLATFORM_PORT/docs    Ctrl-C stops everything.
TXT
wait -n "${pids[@]}"
echo "==> [run] a server exited; see $LOG_DIR/"

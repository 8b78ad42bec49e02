#!/usr/bin/env bash
# Starts the platform API (8000), the action server (5055) and Rasa (5005) on embedded defaults,
# waits until each answers, and stops all of them on Ctrl-C (or when one of them dies).
# Secure by default: every server binds to 127.0.0.1, Rasa's HTTP API needs RASA_AUTH_TOKEN, the
# action server needs ACTION_SERVER_TOKEN, CORS allows only RASA_CORS_ORIGINS (none by default),
# and no log gets a tourist's text or a query string.
#
# The production profile (`make run-prod`, scripts/run_prod.sh) is this same script with other
# settings: RASA_ENDPOINTS (tracker store, lock store, event broker), RASA_REPLICAS and
# ACTION_REPLICAS (>1: the replicas listen on the next ports and nginx round-robins the public
# port to them) and ANALYTICS_AMQP_URL (starts the platform's event consumer).
set -euo pipefail
cd "$(dirname "$0")/.."
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
PLATFORM_PORT=${PLATFORM_PORT:-8000}
RASA_INTERFACE=${RASA_INTERFACE:-127.0.0.1}
export ACTION_SERVER_HOST=${ACTION_SERVER_HOST:-127.0.0.1} ACTION_SERVER_PORT=$ACTIONS_PORT
export PLATFORM_HOST=${PLATFORM_HOST:-127.0.0.1}
RASA_CORS_ORIGINS=${RASA_CORS_ORIGINS:-}  # space- or comma-separated browser origins; empty: no CORS
# Browser origins the web widget's socket.io channel accepts (channels/socketio_guarded.py; * refused):
# by default the platform's own pages (the widget demo), where the widget's script is served.
export RASA_SOCKET_ORIGINS=${RASA_SOCKET_ORIGINS:-http://127.0.0.1:$PLATFORM_PORT http://localhost:$PLATFORM_PORT}
export PLATFORM_WIDGET_RASA_URL=${PLATFORM_WIDGET_RASA_URL:-http://127.0.0.1:$RASA_PORT}  # Rasa as browsers reach it
RASA_ENDPOINTS=${RASA_ENDPOINTS:-endpoints.yml}
RASA_REPLICAS=${RASA_REPLICAS:-1}
ACTION_REPLICAS=${ACTION_REPLICAS:-1}
ANALYTICS_AMQP_URL=${ANALYTICS_AMQP_URL:-}
LOG_DIR=${LOG_DIR:-logs}
RUN_DIR=${RUN_DIR:-var/run}
mkdir -p "$LOG_DIR" "$RUN_DIR"
export PYTHONPATH="$PWD" HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TF_CPP_MIN_LOG_LEVEL=2 RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1
export PLATFORM_API_URL=${PLATFORM_API_URL:-http://127.0.0.1:$PLATFORM_PORT}
export ACTION_SERVER_URL=${ACTION_SERVER_URL:-http://127.0.0.1:$ACTIONS_PORT/webhook}

# Secrets: the environment wins; the rest come from a local file generated once (never printed).
source scripts/local_secrets.sh
SECRETS_FILE=${SECRETS_FILE:-var/secrets.env}
load_local_secrets "$SECRETS_FILE"
# First staff-console supervisor: created by the platform at start-up when both are set (from the
# environment or $SECRETS_FILE); a placeholder or short password stops the run here.
if [[ -n "${PLATFORM_STAFF_ADMIN_USER:-}" ]]; then
  export PLATFORM_STAFF_ADMIN_USER PLATFORM_STAFF_ADMIN_PASSWORD="${PLATFORM_STAFF_ADMIN_PASSWORD:-}"
  .venv/app/bin/python -m scripts.create_staff --check-admin-env || exit 1
  echo "==> [run] staff console: supervisor $PLATFORM_STAFF_ADMIN_USER (created at start-up if missing)"
fi

cors_args=()
IFS=', ' read -ra origins <<<"$RASA_CORS_ORIGINS"
for origin in ${origins[@]+"${origins[@]}"}; do
  [[ $origin == "*" ]] && { echo "==> [run] refusing to start: RASA_CORS_ORIGINS must list origins, not *"; exit 1; }
  cors_args+=("$origin")
done
(( ${#cors_args[@]} )) && cors_args=(--cors "${cors_args[@]}")

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo; echo "==> [run] stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "==> [run] stopped"
}
trap stop_all INT TERM EXIT

roles=()
start() {  # name, log file, command...   (ROLE=rasa:PORT / actions:PORT marks a restartable replica)
  local name=$1 log=$2; shift 2
  echo "==> [run] starting $name (log: $log)"
  if [[ -n ${RESTARTING:-} ]]; then "$@" >>"$log" 2>&1 & else "$@" >"$log" 2>&1 & fi
  pids+=($!)
  roles+=("${ROLE:-}")
}

wait_for() {  # name, url, seconds, [query string kept off the command line and out of the output]
  local name=$1 url=$2 limit=$3 query=${4:-} waited=0
  until curl -fsS -o /dev/null -K - <<<"url = \"$url${query:+?$query}\"" 2>/dev/null; do
    sleep 1; waited=$((waited + 1))
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "==> [run] a server exited; see $LOG_DIR/"; exit 1; }; done
    if (( waited >= limit )); then echo "==> [run] $name did not answer within ${limit}s"; exit 1; fi
  done
  echo "==> [run] $name ready: $url"
}

start "platform API" "$LOG_DIR/platform.log" .venv/app/bin/uvicorn server:app \
  --host "$PLATFORM_HOST" --port "$PLATFORM_PORT" --no-access-log
replica_ports() {  # public port, replicas: the ports the servers listen on
  local port=$1 count=$2 i
  if (( count <= 1 )); then echo "$port"; return; fi
  for (( i = 1; i <= count; i++ )); do echo $(( port + i )); done
}
mapfile -t action_ports < <(replica_ports "$ACTIONS_PORT" "$ACTION_REPLICAS")
mapfile -t rasa_ports < <(replica_ports "$RASA_PORT" "$RASA_REPLICAS")
# WeChat channel (channels/wechat): served only when WECHAT_TOKEN is set; otherwise Rasa reads a copy of
# credentials.yml without its section (Rasa refuses unset ${VAR}s). The guide-device channel is always on.
if [[ -n ${WECHAT_TOKEN:-} ]]; then
  export WECHAT_APP_ID=${WECHAT_APP_ID:-} WECHAT_APP_SECRET=${WECHAT_APP_SECRET:-} WECHAT_AES_KEY=${WECHAT_AES_KEY:-} \
    WECHAT_API_BASE=${WECHAT_API_BASE:-https://api.weixin.qq.com} WECHAT_DEDUP_REDIS_URL=${WECHAT_DEDUP_REDIS_URL:-}
  RASA_CREDENTIALS=credentials.yml
  echo "==> [run] WeChat channel on: /webhooks/wechat/webhook ($([[ -n $WECHAT_AES_KEY ]] && echo compatible/safe || echo plaintext) mode)"
else
  RASA_CREDENTIALS=$RUN_DIR/credentials.yml
  .venv/rasa/bin/python -m channels.wechat.enable credentials.yml "$RASA_CREDENTIALS"
fi
MODEL=${RASA_MODEL:-models/$(cat models/current)}  # RASA_MODEL: a model file to serve instead
start_replica() {  # role (rasa|actions), port
  local role=$1 port=$2 suffix
  if [[ $role == actions ]]; then
    suffix=$([[ $port == "$ACTIONS_PORT" ]] || echo "-$port")
    ROLE=actions:$port ACTION_SERVER_PORT=$port start "action server :$port" "$LOG_DIR/actions$suffix.log" \
      .venv/app/bin/python -m actions.server
  else
    suffix=$([[ $port == "$RASA_PORT" ]] || echo "-$port")
    ROLE=rasa:$port start "Rasa :$port" "$LOG_DIR/rasa$suffix.log" .venv/rasa/bin/python -m bot.rasa_server run \
      --enable-api --auth-token "$RASA_AUTH_TOKEN" ${cors_args[@]+"${cors_args[@]}"} --interface "$RASA_INTERFACE" \
      --port "$port" --model "$MODEL" --endpoints "$RASA_ENDPOINTS" --credentials "$RASA_CREDENTIALS" \
      --logging-config-file bot/logging.yml
  fi
}
for port in "${action_ports[@]}"; do start_replica actions "$port"; done
for port in "${rasa_ports[@]}"; do start_replica rasa "$port"; done
if (( RASA_REPLICAS > 1 || ACTION_REPLICAS > 1 )); then
  NGINX_DIR="$RUN_DIR/nginx"
  fronts=()  # only a role with several replicas gets a front (one replica listens on the public port)
  (( RASA_REPLICAS > 1 )) && fronts+=(--front "$RASA_PORT=${rasa_ports[*]}" --retry-posts "$RASA_PORT")
  (( ACTION_REPLICAS > 1 )) && fronts+=(--front "$ACTIONS_PORT=${action_ports[*]}")
  python3 scripts/nginx_front.py --dir "$NGINX_DIR" --listen 127.0.0.1 "${fronts[@]}"
  start "nginx round-robin front" "$LOG_DIR/nginx.log" nginx -p "$NGINX_DIR" -c nginx.conf -g "daemon off;"
fi
if [[ -n $ANALYTICS_AMQP_URL ]]; then
  start "analytics consumer" "$LOG_DIR/analytics.log" .venv/app/bin/python -m platform_api.analytics.consumer
fi

wait_for "platform API (knowledge base warm)" "http://127.0.0.1:$PLATFORM_PORT/api/health/ready" 180
for port in "${action_ports[@]}"; do wait_for "action server" "http://127.0.0.1:$port/health" 120; done
for port in "${rasa_ports[@]}"; do wait_for "Rasa" "http://127.0.0.1:$port/status" 300 "token=$RASA_AUTH_TOKEN"; done
if (( RASA_REPLICAS > 1 )); then
  wait_for "Rasa through the front" "http://127.0.0.1:$RASA_PORT/status" 30 "token=$RASA_AUTH_TOKEN"
fi
if (( ACTION_REPLICAS > 1 )); then
  wait_for "action servers through the front" "http://127.0.0.1:$ACTIONS_PORT/health" 30
fi
if [[ -n "${MAKE_STARTED:-}" ]]; then
  # `make run` exports when it started and whether it had to install / train first (read by make bench).
  mkdir -p build/timings
  printf '{"seconds_to_all_up": %d, "fresh_install": %s, "no_model_before": %s, "finished": "%s"}\n' \
    "$(( $(date +%s) - MAKE_STARTED ))" "${FRESH_INSTALL:-false}" "${NEEDED_TRAINING:-false}" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >build/timings/run.json
  echo "==> [run] $(( $(date +%s) - MAKE_STARTED )) s from \`make run\` to all up"
fi
cat <<TXT
==> [run] all up. Try:
    curl -s localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender":"me","message":"你好"}'
    Platform API docs: http://localhost:$PLATFORM_PORT/docs    Ctrl-C stops everything.
    Rasa's HTTP API (trackers, /model/parse) needs ?token=\$RASA_AUTH_TOKEN from $SECRETS_FILE.
TXT
if (( RASA_REPLICAS > 1 || ACTION_REPLICAS > 1 )); then
  # Supervise: a replica that dies is started again (nginx sends its traffic to the others
  # meanwhile); any other server exiting stops everything.
  while sleep 1; do
    for i in "${!pids[@]}"; do
      kill -0 "${pids[$i]}" 2>/dev/null && continue
      role=${roles[$i]}
      if [[ -z $role ]]; then echo "==> [run] a server exited; see $LOG_DIR/"; exit 1; fi
      echo "==> [run] $role exited; starting it again"
      RESTARTING=1 start_replica "${role%%:*}" "${role#*:}"
      pids[$i]=${pids[-1]}; roles[$i]=${roles[-1]}
      unset 'pids[-1]' 'roles[-1]'
    done
  done
fi
wait -n "${pids[@]}"
echo "==> [run] a server exited; see $LOG_DIR/"

#!/usr/bin/env bash
# The production profile on one machine (`make run-prod`): scripts/run_all.sh with other settings.
#
#   Rasa x2 ──┐ tracker store: PostgreSQL (RASA_TRACKER_DB_*), lock store: Redis (REDIS_*),
#             │ event broker: RabbitMQ (RABBITMQ_*) → platform analytics consumer
#   actions x2┘ behind nginx round-robin fronts on the public ports (5005, 5055)
#   platform API: PostgreSQL (PLATFORM_DATABASE_URL), Alembic migrations at start-up, the one
#                 knowledge service every action server asks
#
# Every setting is an environment variable; the defaults below are this machine's loopback
# services (PostgreSQL with trust auth, Redis, RabbitMQ guest/guest). A deployment exports its own
# (secrets from its secret store, never from the repository). Needs nginx (`make prod-deps`).
set -euo pipefail
cd "$(dirname "$0")/.."

export RASA_REPLICAS=${RASA_REPLICAS:-2} ACTION_REPLICAS=${ACTION_REPLICAS:-2}
export RASA_ENDPOINTS=${RASA_ENDPOINTS:-endpoints.prod.yml}
export PG_HOST=${PG_HOST:-127.0.0.1} PG_PORT=${PG_PORT:-5432} PG_USER=${PG_USER:-postgres}
export PG_PASSWORD=${PG_PASSWORD:-}
export RASA_TRACKER_DB_HOST=${RASA_TRACKER_DB_HOST:-$PG_HOST} RASA_TRACKER_DB_PORT=${RASA_TRACKER_DB_PORT:-$PG_PORT}
export RASA_TRACKER_DB_NAME=${RASA_TRACKER_DB_NAME:-tianfu_rasa} RASA_TRACKER_DB_USER=${RASA_TRACKER_DB_USER:-$PG_USER}
export RASA_TRACKER_DB_PASSWORD=${RASA_TRACKER_DB_PASSWORD:-$PG_PASSWORD}
PLATFORM_DB_NAME=${PLATFORM_DB_NAME:-tianfu}
export PLATFORM_DATABASE_URL=${PLATFORM_DATABASE_URL:-postgresql+psycopg://$PG_USER${PG_PASSWORD:+:$PG_PASSWORD}@$PG_HOST:$PG_PORT/$PLATFORM_DB_NAME}
export REDIS_HOST=${REDIS_HOST:-127.0.0.1} REDIS_PORT=${REDIS_PORT:-6379} RASA_LOCK_REDIS_DB=${RASA_LOCK_REDIS_DB:-1}
export REDIS_URL=${REDIS_URL:-redis://$REDIS_HOST:$REDIS_PORT/2}
# The WeChat channel's de-duplication and access-token cache, and the platform's rate-limit counters.
export WECHAT_REDIS_URL=${WECHAT_REDIS_URL:-$REDIS_URL}
export PLATFORM_RATE_LIMIT_STORAGE_URI=${PLATFORM_RATE_LIMIT_STORAGE_URI:-$REDIS_URL}
export RABBITMQ_HOST=${RABBITMQ_HOST:-127.0.0.1} RABBITMQ_PORT=${RABBITMQ_PORT:-5672}
export RABBITMQ_USER=${RABBITMQ_USER:-guest} RABBITMQ_PASSWORD=${RABBITMQ_PASSWORD:-guest}
export RABBITMQ_EVENTS_QUEUE=${RABBITMQ_EVENTS_QUEUE:-tianfu_events}
export ANALYTICS_AMQP_URL=${ANALYTICS_AMQP_URL:-amqp://$RABBITMQ_USER:$RABBITMQ_PASSWORD@$RABBITMQ_HOST:$RABBITMQ_PORT/}
export PLATFORM_ENVIRONMENT=${PLATFORM_ENVIRONMENT:-production}
# One Rasa process per core: each encodes with one thread (bot/components/sentence_encoder_featurizer.py).
export SENTENCE_ENCODER_THREADS=${SENTENCE_ENCODER_THREADS:-1}
# ... and every native thread pool has one thread, set before any process starts. The e5 engine's
# OpenMP runtime is the same library file as scikit-learn's (libgomp-a34b3233), which Rasa loads
# first, so the encoder's own setting came too late: each Rasa process ran e5 on two OpenMP threads
# that spin while they wait. With two Rasa processes, two action servers and the platform on two
# cores the spinning threads took the cores from the work: measured 290-330 ms of CPU per e5 query
# instead of 28 (scripts/bench_prod.py reports the CPU per turn of each process).
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1} MKL_NUM_THREADS=${MKL_NUM_THREADS:-1}

command -v nginx >/dev/null || { echo "==> [prod] nginx is missing: run \`make prod-deps\`"; exit 1; }
echo "==> [prod] checking PostgreSQL, Redis and RabbitMQ"
.venv/app/bin/python -m scripts.prod_services --create-databases "$PLATFORM_DB_NAME" "$RASA_TRACKER_DB_NAME"
exec bash scripts/run_all.sh

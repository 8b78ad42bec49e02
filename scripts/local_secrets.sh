#!/usr/bin/env bash
# Local secrets for `make run`: sourced by run_all.sh, defines load_local_secrets FILE.
#
# Every secret the servers need is exported: a value already in the environment wins (a deployment
# sets its own), the others come from FILE, which is created with random values on first use (mode
# 0600) and reused afterwards (missing names are added). Values are never printed. A missing,
# placeholder or short secret stops the run with a message naming the variable.

SECRET_VARS=(RASA_AUTH_TOKEN ACTION_SERVER_TOKEN PLATFORM_STAFF_API_TOKEN PLATFORM_BOT_API_TOKEN LOG_ID_SALT
             PLATFORM_PAYMENT_SANDBOX_SECRET)

load_local_secrets() {  # file
  local file=$1 name value
  mkdir -p "$(dirname "$file")"
  [[ -f $file ]] || echo "==> [run] generating local secrets into $file"
  ( umask 077; touch "$file" )
  chmod 600 "$file"
  for name in "${SECRET_VARS[@]}"; do
    grep -q "^$name=" "$file" ||
      echo "$name=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')" >>"$file"
  done
  while IFS='=' read -r name value; do
    [[ -z $name || $name == \#* ]] && continue
    [[ -n ${!name:-} ]] || export "$name=$value"
  done <"$file"
  echo "==> [run] secrets (Rasa and action-server tokens, platform staff and bot tokens, log salt, payment sandbox key): $file"
  python3 - "${SECRET_VARS[@]}" <<'PY'
import os
import sys

from common.secret_rules import secret_problem

problems = [f"{n} {secret_problem(os.environ.get(n))}" for n in sys.argv[1:] if secret_problem(os.environ.get(n))]
if problems:
    sys.exit("==> [run] refusing to start: " + "; ".join(problems))
PY
}

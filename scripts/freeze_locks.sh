#!/usr/bin/env bash
# Regenerates the lock files from the installed environments after a deliberate change to
# requirements/*.in (install the .in file into a fresh venv first, then run this).
set -euo pipefail
cd "$(dirname "$0")/.."
{ echo "# Fully pinned Rasa engine environment (pip freeze of requirements/rasa.in). Install with: pip install -r requirements/rasa.lock.txt"
  echo "# then: pip install --no-deps --ignore-requires-python rasa==3.6.21 rasa-sdk==3.6.2   (see Makefile)"
  .venv/rasa/bin/pip freeze --all | grep -vE '^(rasa|rasa-sdk|rasa_sdk|pip|wordfreq)==' ; } > requirements/rasa.lock.txt
{ echo "# Fully pinned application environment (pip freeze of requirements/app.in): action server, platform API, knowledge base, tests."
  .venv/app/bin/pip freeze --all | grep -vE '^(pip|wordfreq)==' ; } > requirements/app.lock.txt
echo "locks written"

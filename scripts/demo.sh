#!/usr/bin/env bash
# `make demo`: migrate and load the embedded SQLite database, then serve.
set -euo pipefail
cd "$(dirname "$0")/.."
export PLACEPLAN_DATABASE_URL=${PLACEPLAN_DATABASE_URL:-sqlite:///$PWD/var/placeplan.sqlite3}
.venv/bin/placeplan db upgrade
.venv/bin/placeplan demo load
.venv/bin/python -m placeplan.demo.users_table
exec .venv/bin/placeplan serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"

#!/usr/bin/env bash
# What the tests need beyond `make setup`: Debian's chromium, and a PostgreSQL server that answers.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var

if ! command -v chromium >/dev/null 2>&1; then
  echo "test-setup: installing Debian's chromium for the browser tests"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi

# LibreOffice (no GUI) turns the delivery reports' docx into PDF and proves the docx opens; its
# Calc recomputes the BCF workbook's formulas (tests/budget/test_io_formulas.py).
if ! command -v soffice >/dev/null 2>&1 || ! dpkg -s libreoffice-calc-nogui >/dev/null 2>&1; then
  echo "test-setup: installing libreoffice-writer-nogui and libreoffice-calc-nogui"
  sudo_=(); [ "$(id -u)" = 0 ] || sudo_=(sudo)
  "${sudo_[@]}" apt-get update -qq
  "${sudo_[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libreoffice-writer-nogui libreoffice-calc-nogui >/dev/null
fi

url=${PLACEPLAN_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432}
rm -f var/test-database-url
if .venv/bin/python scripts/pg_answers.py "$url"; then
  echo "$url" > var/test-database-url
  exit 0
fi
echo "test-setup: no PostgreSQL answers at $url; starting a throwaway cluster under var/pg"
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ]; then
  echo "test-setup: PostgreSQL is not installed; the PostgreSQL tests will fail under CI" >&2
  exit 0
fi
port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data="$PWD/var/pg"
run=()
if [ "$(id -u)" = 0 ]; then run=(runuser -u postgres --); fi
if [ -f "$data/postmaster.pid" ]; then "${run[@]}" "$bindir/pg_ctl" -D "$data" stop -m fast >/dev/null 2>&1 || true; fi
rm -rf "$data" && mkdir -p "$data"
[ "$(id -u)" = 0 ] && chown postgres "$data"
"${run[@]}" "$bindir/initdb" -D "$data" -U postgres --auth=trust >/dev/null
"${run[@]}" "$bindir/pg_ctl" -D "$data" -l "$data/server.log" \
  -o "-p $port -k /tmp -c listen_addresses=127.0.0.1" start -w >/dev/null
echo "postgresql://postgres@127.0.0.1:$port" > var/test-database-url
echo "test-setup: throwaway PostgreSQL on port $port"

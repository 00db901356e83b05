#!/usr/bin/env bash
# The set-up behind `make setup`: idempotent, and quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
PYTHON=${PYTHON:-python3}

fingerprint() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
# the compiled capacity kernels (Cython, built by `pip install -e .`) are rebuilt when they change
kernels=src/placeplan/capacity/domain/kernels/compiled
want=$(fingerprint pyproject.toml requirements.lock setup.py "$kernels"/*.pyx "$kernels"/*.pxd)
if [ "$(cat var/.python-deps 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python packages (pinned by requirements.lock)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
  echo "$want" > var/.python-deps
fi

# WeasyPrint (board packs as PDF) draws with Pango; its wheels do not carry it. Debian's packages:
# the Pango and HarfBuzz libraries and a font with the glyphs the packs use (DejaVu).
if ! ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' \
   || ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' \
   || ! fc-list 2>/dev/null | grep -qi 'DejaVu Sans'; then
  echo "setup: installing Pango and the DejaVu fonts for WeasyPrint"
  sudo_=(); [ "$(id -u)" = 0 ] || sudo_=(sudo)
  "${sudo_[@]}" apt-get update -qq
  "${sudo_[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fontconfig >/dev/null
fi

want=$(fingerprint package.json package-lock.json)
if [ "$(cat var/.npm-deps 2>/dev/null)" != "$want" ] || [ ! -d node_modules/nhsuk-frontend ] \
   || [ ! -d node_modules/swagger-ui-dist ]; then
  echo "setup: installing front-end packages from the npm registry"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$want" > var/.npm-deps
fi
# The NHS.UK frontend is served from the package's own build, copied (not committed) beside our CSS.
dist=node_modules/nhsuk-frontend/dist/nhsuk
static=src/placeplan/web/static/nhsuk
if [ ! -f "$static/nhsuk-frontend.min.css" ] || [ "$dist/nhsuk-frontend.min.css" -nt "$static/nhsuk-frontend.min.css" ]; then
  mkdir -p "$static"
  cp "$dist"/nhsuk-frontend.min.css "$dist"/nhsuk-frontend.min.js "$static"/
  # Less its @font-face rules, which fetch Frutiger from an NHS website: a closed network cannot
  # reach it, the Content Security Policy refuses it, and placeplan.css names the system's font.
  sed -i 's/@font-face{[^}]*assets\.nhs\.uk[^}]*}//g' "$static/nhsuk-frontend.min.css"
  rm -rf "$static/assets" && cp -r "$dist/assets" "$static/assets"
fi
# Swagger UI for /api/docs, likewise from its npm package: the docs page asks no outside server.
swagger=node_modules/swagger-ui-dist
static=src/placeplan/web/static/swagger-ui
if [ ! -f "$static/swagger-ui-bundle.js" ] || [ "$swagger/swagger-ui-bundle.js" -nt "$static/swagger-ui-bundle.js" ]; then
  mkdir -p "$static"
  cp "$swagger"/swagger-ui-bundle.js "$swagger"/swagger-ui.css "$swagger"/LICENSE "$static"/
fi
echo "setup: ready"

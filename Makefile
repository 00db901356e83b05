.PHONY: setup demo test test-fast lint bench clean

setup:
	@bash scripts/setup.sh

demo: setup
	@bash scripts/demo.sh

# The whole suite: unit, integration on SQLite and PostgreSQL, and the browser tests, in two
# processes (pytest-xdist), each test file in one of them: much of the time is spent waiting on
# PostgreSQL, chromium and LibreOffice, so two processes share two cores well. The files are
# handed out in tests/conftest.py's order (the slowest few first), not xdist's.
test: setup
	@bash scripts/test-setup.sh
	.venv/bin/lint-imports
	.venv/bin/python -m pytest -q -p no:cacheprovider -n 2 --dist loadfile --no-loadscope-reorder --durations=25

lint: setup
	.venv/bin/ruff check src tests benchmarks
	.venv/bin/mypy
	.venv/bin/lint-imports

bench: setup
	.venv/bin/python benchmarks/web.py

clean:
	rm -rf var .venv node_modules src/placeplan/web/static/nhsuk src/placeplan/web/static/swagger-ui

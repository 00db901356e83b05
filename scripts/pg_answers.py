"""Exit 0 when a PostgreSQL server answers at the URL given (its maintenance database), else 1."""

import sys

import psycopg

try:
    psycopg.connect(sys.argv[1] + "/postgres", connect_timeout=3).close()
except Exception:  # any failure means "does not answer": the caller starts its own
    sys.exit(1)

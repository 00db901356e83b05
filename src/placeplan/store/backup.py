"""Backing up and restoring the whole database: the SQLite backup API for the embedded default,
pg_dump and pg_restore (custom format) for PostgreSQL."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import URL, make_url

from placeplan.core.errors import InputError

PG_TIMEOUT = 3_600  # seconds: a dump or restore that takes longer has gone wrong


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise InputError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _pg_args(url: URL) -> tuple[list[str], dict[str, str]]:
    args = ["--dbname", url.database or "postgres"]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password is not None:
        # Through the environment, never on a command line others can read.
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise InputError(f"{name} is not installed: install the PostgreSQL client tools")
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=PG_TIMEOUT)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def backup(database_url: str, out: Path) -> None:
    """Write a consistent copy of the database to `out` (taken while others may be writing)."""
    url = make_url(database_url)
    out.parent.mkdir(parents=True, exist_ok=True)
    if url.drivername.startswith("sqlite"):
        source = sqlite3.connect(_sqlite_path(url))
        target = sqlite3.connect(out)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        return
    args, env = _pg_args(url)
    _run([_tool("pg_dump"), "--format=custom", "--file", str(out), *args], env)


def restore(database_url: str, source_file: Path) -> None:
    """Replace the database's contents with a backup made by `backup` (nothing else may be
    connected while it runs)."""
    if not source_file.is_file():
        raise InputError(f"no backup file {source_file}")
    url = make_url(database_url)
    if url.drivername.startswith("sqlite"):
        with source_file.open("rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise InputError(f"{source_file} is not a SQLite backup")
        source = sqlite3.connect(source_file)
        target = sqlite3.connect(_sqlite_path(url))
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        return
    args, env = _pg_args(url)
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(source_file),
        ],
        env,
    )

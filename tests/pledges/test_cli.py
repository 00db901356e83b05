"""`placeplan pledges list` on the demo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Seed 003, Table 13, column "Accountability", pledge by pledge.


def test_the_pledges_command_lists_the_demo(tmp_path: Path, demo_sqlite: Path):
    import shutil

    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_sqlite, path)
    env = {**os.environ, "PLACEPLAN_DATABASE_URL": f"sqlite:///{path}"}
    command = [sys.executable, "-m", "placeplan.cli_entry", "pledges", "list"]
    found = subprocess.run(
        [*command, "4", "--format", "json"], env=env, capture_output=True, text=True, check=True
    )
    pledges = json.loads(found.stdout)["pledges"]
    assert [p["ref"] for p in pledges] == [str(n) for n in range(1, 14)]
    # Table 13, pledge 6: the 95% standard, as stored text.
    assert pledges[5]["measures"][0]["target"] == {"value": "95", "period": "2027-28"}
    table = subprocess.run([*command, "4"], env=env, capture_output=True, text=True, check=True)
    assert "Pledge 9   met" in table.stdout
    missing = subprocess.run(
        [*command, "999", "--format", "json"], env=env, capture_output=True, text=True
    )
    assert missing.returncode == 2
    assert json.loads(missing.stderr) == {"error": {"message": "no plan 999"}}

"""`placeplan report pack` on the demo: the Leicestershire Health and Wellbeing Board's pack for
2025-26 Q3, asked for by the body's key and by its name, read back from the PDF itself."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.packs.pdf_reading import is_whole_pdf, outline, page_count, tags

# The pack's parts, in order, as packs/service.py and its template give them.
PARTS = [
    "Contents",
    "Metrics at a glance",
    "Metric charts",
    "Budget position",
    "Capacity model",
    "Delivery plan reports",
    "Pledges",
]


def _run(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLACEPLAN_DATABASE_URL": f"sqlite:///{path}"}
    command = [sys.executable, "-m", "placeplan.cli_entry", "report", "pack", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def test_the_hwb_pack_is_a_tagged_pdf_with_its_headings(tmp_path: Path, demo_sqlite: Path):
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_sqlite, path)
    out = tmp_path / "pack.pdf"
    done = _run(path, "--body", "leics-hwb", "--period", "2025-26-Q3", "--pdf", str(out))
    assert done.returncode == 0, done.stderr
    pdf = out.read_bytes()
    assert is_whole_pdf(pdf)
    titles = outline(pdf)
    assert titles[0] == "Leicestershire Health and Wellbeing Board: board pack"
    assert [t for t in titles if t in PARTS] == PARTS
    # Each metric's chart has its own heading: the demo's Leicestershire metrics.
    assert "Average length of discharge delay (days), Leicestershire" in titles
    # The budget part names the plan and the quarter.
    assert "Leicestershire Better Care Fund plan 2025-26, at the end of 2025-26 Q3" in titles
    found = tags(pdf)
    assert found["H1"] == 1 + len(PARTS)  # the cover's and each part's
    assert found["H2"] >= 8 and found["Table"] >= 5 and found["Figure"] >= 1
    assert page_count(pdf) >= 10


def test_the_body_may_be_named_and_an_unknown_one_is_refused(tmp_path: Path, demo_sqlite: Path):
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_sqlite, path)
    out = tmp_path / "pack.pdf"
    name = "Leicestershire Health and Wellbeing Board"
    done = _run(path, "--body", name, "--period", "2025-26", "--pdf", str(out), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == f"{name}: board pack, 2025-26 Q4"
    assert is_whole_pdf(out.read_bytes())
    missing = _run(path, "--body", "no-such-body", "--period", "2025-26", "--pdf", str(out))
    assert missing.returncode == 2
    assert "no governance body 'no-such-body'" in missing.stderr

"""Benchmark: a regional team's batch of every HWB's planning workbook, checked in one go.

Issue 17's target: 153 workbooks validate in under 30 s. It reads a database that
`placeplan demo load --national` has filled (PostgreSQL or SQLite), exports each area's latest BCF
plan up to the year as its planning workbook (152 of the 153 areas: the demo holds no plan of
Rutland's; the export is outside the timing), zips them, and times
`assurance.service.batch.check_batch` over the zip as the operator would (every region in scope):
each workbook read through the upload guard, its funding rules run, its stated figures checked
and its budget compared with the plan's last submission. It reports and never asserts.

    PYTHONPATH=src .venv/bin/python benchmarks/assurance.py --database-url postgresql://...
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import zipfile

from sqlalchemy import select

from placeplan.app.wiring import wire
from placeplan.assurance.service.batch import check_batch
from placeplan.budget import service as budget
from placeplan.core.actor import operator
from placeplan.plans.models import Plan
from placeplan.store.db import make_engine, session_factory

TARGET_SECONDS = 30.0


def main() -> int:
    wire()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    engine = make_engine(args.database_url)
    sessions = session_factory(engine)
    with sessions() as s:
        # One workbook an area, as a region collects them: its plan of the year, else its latest.
        latest: dict[int, int] = {}
        for plan_id, area_id in s.execute(
            select(Plan.id, Plan.area_id)
            .where(Plan.kind == "bcf_plan", Plan.period_start <= args.year)
            .where(Plan.area_id.is_not(None))
            .order_by(Plan.period_start, Plan.id)
        ):
            latest[area_id] = plan_id
        ids = sorted(latest.values())
        buffer = io.BytesIO()
        started = time.monotonic()
        with zipfile.ZipFile(buffer, "w") as archive:
            for plan_id in ids:
                archive.writestr(
                    f"plan-{plan_id}.xlsx",
                    budget.export_workbook(s, operator(), plan_id).content,
                )
        print(f"exported {len(ids)} workbooks in {time.monotonic() - started:.1f} s")
    content = buffer.getvalue()
    with sessions() as s:
        started = time.monotonic()
        found = check_batch(s, operator(), "england.zip", content)
        took = time.monotonic() - started
    print(f"checked {len(found.rows)} workbooks in {took:.1f} s: {found.counts}")
    at_153 = took / max(1, len(found.rows)) * 153
    verdict = "met" if at_153 < TARGET_SECONDS else "MISSED"
    print(
        f"153 workbooks at this rate: {at_153:.1f} s; target under {TARGET_SECONDS:.0f} s: {verdict}"
    )
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A 40-page board pack printed to PDF: target under 5 s.

Run as `.venv/bin/python benchmarks/packs.py`. It loads the LLR demo into a SQLite file, gathers
the LLR ICB board's pack for 2025-26 Q3 (the metrics of the system's three areas, each chart with
its figures, and the system plan's pledges) and, since the demo's pack is about 30 pages, repeats
its charts section until the PDF has at least 40 pages. It then times, five times each, the whole
pack (gather, HTML, PDF) and the HTML-to-PDF step alone, and prints the pages and the median
wall-clock and CPU seconds. Wall-clock time depends on what else the machine runs; CPU time is
what the pack costs. Reports only.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from weasyprint import HTML, URLFetcher

from placeplan.app.wiring import wire
from placeplan.core.actor import operator
from placeplan.demo.loader import load_demo
from placeplan.packs.io.pdf import html_to_pdf
from placeplan.packs.present import pack_html
from placeplan.packs.service import Pack, board_pack
from placeplan.store.db import make_engine, session_factory
from placeplan.store.migrate import upgrade

BODY, PERIOD, PAGES, RUNS = "llr-icb-board", "2025-26 Q3", 40, 5


def _pages(html: str) -> int:
    return len(
        HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"}))
        .render(pdf_tags=True)
        .pages
    )


def _padded(pack: Pack) -> tuple[str, int]:
    """The pack's HTML with its charts repeated until it prints to at least PAGES pages."""
    charts = list(pack.charts)
    html = pack_html(pack)
    pages = _pages(html)
    while pages < PAGES:
        # A chart with its figures takes about a page: add a few at a time, so the pack ends
        # near PAGES rather than at twice the demo's.
        pack.charts = pack.charts + charts[: max(1, PAGES - pages - 1)]
        charts = charts[max(1, PAGES - pages - 1) :] + charts[: max(1, PAGES - pages - 1)]
        html = pack_html(pack)
        pages = _pages(html)
    return html, pages


def _timed(make: object, runs: int = RUNS) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        make()  # type: ignore[operator]
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    wire()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'packs.sqlite3'}")
        upgrade(engine)
        sessions = session_factory(engine)
        load_demo(sessions)
        with sessions() as session:
            pack = board_pack(session, operator(), BODY, PERIOD)
            html, pages = _padded(pack)
            html_to_pdf("<p>warm</p>")

            def whole() -> bytes:
                found = board_pack(session, operator(), BODY, PERIOD)
                found.charts = pack.charts
                return html_to_pdf(pack_html(found))

            whole_wall, whole_cpu = _timed(whole)
        print_wall, print_cpu = _timed(lambda: html_to_pdf(html))
        size = len(html_to_pdf(html))
    print(f"board pack of {BODY} for {PERIOD}: {pages} pages, {size / 1024:.0f} KiB")
    print(
        f"  whole pack (gather, HTML, PDF): median {whole_wall:.2f} s wall, {whole_cpu:.2f} s CPU"
    )
    print(f"  HTML to PDF alone:             median {print_wall:.2f} s wall, {print_cpu:.2f} s CPU")
    load = os.getloadavg()[0]
    print(
        f"  target under 5 s: CPU {'met' if whole_cpu < 5 else 'not met'}; wall clock"
        f" {'met' if whole_wall < 5 else 'not met'} with a load average of {load:.1f} on"
        f" {os.cpu_count()} cores"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()

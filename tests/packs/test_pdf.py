"""The pack's pages as WeasyPrint lays them out (its own re-read of the layout, before the PDF is
written): every page after the cover has the running header (the body and the quarter, and the
part it is in) and "Page n of N"."""

from __future__ import annotations

import shutil
from pathlib import Path

from weasyprint import HTML, URLFetcher

from placeplan.core.actor import operator
from placeplan.packs.present import pack_html
from placeplan.packs.service import board_pack
from placeplan.store.db import make_engine, session_factory


def _texts(box: object, found: list[str]) -> list[str]:
    if hasattr(box, "text"):
        found.append(box.text)
    for child in getattr(box, "children", None) or []:
        _texts(child, found)
    return found


def test_every_page_after_the_cover_has_its_running_header_and_number(
    tmp_path: Path, demo_sqlite: Path
):
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_sqlite, path)
    engine = make_engine(f"sqlite:///{path}")
    with session_factory(engine)() as s:
        html = pack_html(board_pack(s, operator(), "leics-hwb", "2025-26 Q3"))
    engine.dispose()
    pages = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).render().pages
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        margins = [
            " ".join(_texts(box, []))
            for box in page._page_box.children  # WeasyPrint's layout: the page's margin boxes
            if type(box).__name__ == "MarginBox"
        ]
        assert f"Page {number} of {total}" in margins
        assert "Illustrative spend: demonstration figures" in margins  # the demo's spend
        if number > 1:
            assert "Leicestershire Health and Wellbeing Board · 2025-26 Q3" in margins
    last = [" ".join(_texts(b, [])) for b in pages[-1]._page_box.children]
    assert "Pledges" in last

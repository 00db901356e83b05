"""The pledges table as a download gives it (CSV, xlsx): a header and rows of cells, figures as
Decimals and text as text. Pure: what placeplan.pledges.io.xlsx writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Table:
    """One sheet: `title` the document's, `sheet` the tab's name."""

    title: str
    sheet: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]

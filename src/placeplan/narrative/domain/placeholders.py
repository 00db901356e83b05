"""The placeholders an organisation's Word template may use (filled with docxtpl), and the plain
document every generated narrative is: headings, paragraphs, lists, tables and diagrams, each
figure with where it came from. Pure: the io layer writes it into Word."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from placeplan.narrative.domain.text import Block

# name -> what it holds; a template naming anything else is refused on upload, naming it.
PLACEHOLDERS: dict[str, str] = {
    "plan_title": "the plan's title",
    "area_name": "the area (or system) the plan is for",
    "period": "the plan's period, e.g. 2025-26",
    "status": "where the plan stands: draft, submitted, approved or published",
    "organisation_name": "the organisation whose template it is",
    "generated_on": "the day the document was made, e.g. 5 December 2026",
    "document_title": "what the document is, e.g. Better Care Fund narrative plan",
}
# Where the generated body goes: a paragraph holding only this placeholder; without one, the body
# follows the template's own content.
BODY_PLACEHOLDER = "body"
KNOWN = frozenset({*PLACEHOLDERS, BODY_PLACEHOLDER})


def unknown(names: set[str]) -> list[str]:
    return sorted(n for n in names if n not in KNOWN)


@dataclass(frozen=True)
class Table:
    caption: str  # also the table's alt text: what it shows
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    source: str  # where its figures come from
    numeric: tuple[int, ...] = ()  # columns aligned right


@dataclass(frozen=True)
class Diagram:
    """A tree of named boxes, each under the one it reports to (seed 000's "Diagram 1"): drawn as
    a picture whose alternative text says the same tree in words."""

    caption: str
    nodes: tuple[tuple[str, int | None], ...]  # a box's name and its parent's index (None: a top)
    source: str

    def children(self, index: int | None) -> list[int]:
        return [n for n, (_, parent) in enumerate(self.nodes) if parent == index]

    def description(self) -> str:
        """The tree in words: the tops, then who reports to each box, top down."""

        def listed(names: list[str]) -> str:
            return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

        tops = [self.nodes[n][0] for n in self.children(None)]
        said = [f"{self.caption}. At the top: {listed(tops)}."]
        for n, (name, _) in enumerate(self.nodes):
            under = [self.nodes[c][0] for c in self.children(n)]
            if under:
                said.append(f"Reporting to {name}: {listed(under)}.")
        return " ".join(said)


@dataclass(frozen=True)
class Part:
    """One piece of the document, in order."""

    kind: Literal["heading", "text", "table", "note", "diagram"]
    level: int = 0  # a heading's level (1: section, 2: heading)
    title: str = ""
    blocks: tuple[Block, ...] = ()  # text
    table: Table | None = None
    note: str = ""
    diagram: Diagram | None = None


@dataclass
class Document:
    title: str
    values: dict[str, str]  # the placeholders' values
    parts: list[Part] = field(default_factory=list)

    def heading(self, level: int, title: str) -> None:
        self.parts.append(Part("heading", level=level, title=title))

    def text(self, blocks: list[Block]) -> None:
        self.parts.append(Part("text", blocks=tuple(blocks)))

    def table(self, table: Table) -> None:
        self.parts.append(Part("table", table=table))

    def note(self, note: str) -> None:
        self.parts.append(Part("note", note=note))

    def diagram(self, diagram: Diagram) -> None:
        self.parts.append(Part("diagram", diagram=diagram))

    def headings(self) -> list[str]:
        return [p.title for p in self.parts if p.kind == "heading"]

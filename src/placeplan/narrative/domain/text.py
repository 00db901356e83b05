"""The text a narrative block holds: plain paragraphs, bulleted and numbered lists, and emphasis
(**strong**, *emphasis*), a small subset of Markdown. Anything else is kept as the words typed, so
nothing a person writes is ever markup a page or a Word file would obey."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["paragraph", "bullets", "numbers"]

_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_NUMBER = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
# Emphasis hugs its words, as in Markdown: "2 * 3 * 4" is arithmetic, not emphasis.
_INNER = r"[^*\s](?:[^*\n]*?[^*\s])?"
_EMPHASIS = re.compile(rf"\*\*(?P<strong>{_INNER})\*\*|(?<![\w*])\*(?P<em>{_INNER})\*(?![\w*])")


@dataclass(frozen=True)
class Run:
    text: str
    strong: bool = False
    emphasis: bool = False


@dataclass(frozen=True)
class Block:
    kind: Kind
    items: tuple[tuple[Run, ...], ...]  # a paragraph has one item; a list one per entry


def runs(line: str) -> tuple[Run, ...]:
    """A line's words split where **strong** and *emphasis* begin and end."""
    out: list[Run] = []
    at = 0
    for match in _EMPHASIS.finditer(line):
        if match.start() > at:
            out.append(Run(line[at : match.start()]))
        if match.group("strong") is not None:
            out.append(Run(match.group("strong"), strong=True))
        else:
            out.append(Run(match.group("em"), emphasis=True))
        at = match.end()
    if at < len(line):
        out.append(Run(line[at:]))
    return tuple(out)


def parse(text: str) -> list[Block]:
    """Paragraphs are separated by blank lines; consecutive list lines make one list, and a line
    that is not a list item continues the item above it."""
    blocks: list[Block] = []
    kind: Kind | None = None
    items: list[str] = []

    def close() -> None:
        nonlocal kind, items
        if kind is not None and items:
            blocks.append(Block(kind, tuple(runs(i) for i in items)))
        kind, items = None, []

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            close()
            continue
        bullet, number = _BULLET.match(raw), _NUMBER.match(raw)
        if bullet or number:
            found: Kind = "bullets" if bullet else "numbers"
            if kind != found:
                close()
                kind = found
            items.append((bullet or number).group(1).strip())  # type: ignore[union-attr]
        elif kind in ("bullets", "numbers") and items:
            items[-1] += " " + line
        else:
            if kind != "paragraph":
                close()
                kind = "paragraph"
                items = [line]
            else:
                items[0] += " " + line
    close()
    return blocks


def plain(text: str) -> str:
    """The words without emphasis marks, for a diff or a search."""
    return "\n".join("".join(r.text for r in item) for block in parse(text) for item in block.items)


@dataclass(frozen=True)
class DiffLine:
    change: Literal["same", "added", "removed"]
    text: str


def diff(before: str, after: str) -> list[DiffLine]:
    """Line by line: what a later version added and removed."""
    a, b = before.replace("\r\n", "\n").split("\n"), after.replace("\r\n", "\n").split("\n")
    out: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [DiffLine("same", line) for line in a[i1:i2]]
            continue
        out += [DiffLine("removed", line) for line in a[i1:i2]]
        out += [DiffLine("added", line) for line in b[j1:j2]]
    return out

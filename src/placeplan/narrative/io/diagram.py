"""A diagram drawn as a PNG picture for a Word file: each box under its parent, joined by lines,
tops in a row at the head. The picture carries no words a reader needs that its alternative text
(Diagram.description) does not give."""

from __future__ import annotations

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

from placeplan.narrative.domain.placeholders import Diagram

BOX_WIDTH, GAP, LEVEL_GAP, PADDING, LINE = 260, 30, 60, 14, 24
FONT_SIZE = 18
NHS_BLUE = (0, 94, 184)
TEXT = (33, 43, 50)  # NHS dark grey: 14:1 on white
FONTS = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf")


def _font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow looks the bare names up in the system's font folders; set-up installs DejaVu.
    for name in FONTS:
        try:
            return ImageFont.truetype(name, FONT_SIZE)
        except OSError:
            continue
    return ImageFont.load_default(FONT_SIZE)


def _columns(diagram: Diagram) -> dict[int, float]:
    """Each box's column: leaves take the next free column, a parent sits over its children."""
    at: dict[int, float] = {}
    free = 0.0

    def place(n: int) -> float:
        nonlocal free
        children = diagram.children(n)
        if not children:
            at[n], free = free, free + 1
        else:
            spots = [place(c) for c in children]
            at[n] = (spots[0] + spots[-1]) / 2
        return at[n]

    for top in diagram.children(None):
        place(top)
    return at


def _depths(diagram: Diagram) -> dict[int, int]:
    depth: dict[int, int] = {}
    for n, (_, parent) in enumerate(diagram.nodes):  # a parent always comes before its children
        depth[n] = 0 if parent is None else depth[parent] + 1
    return depth


def diagram_png(diagram: Diagram) -> tuple[bytes, int]:
    """The picture, and its width in pixels."""
    font = _font()
    columns, depths = _columns(diagram), _depths(diagram)
    lines = {n: textwrap.wrap(name, 24) or [""] for n, (name, _) in enumerate(diagram.nodes)}
    box_height = max(len(v) for v in lines.values()) * LINE + 2 * PADDING
    width = int((max(columns.values()) + 1) * (BOX_WIDTH + GAP) + GAP)
    levels = max(depths.values()) + 1
    height = levels * box_height + (levels - 1) * LEVEL_GAP + 2 * GAP
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)

    def box(n: int) -> tuple[int, int, int, int]:
        left = int(GAP + columns[n] * (BOX_WIDTH + GAP))
        top = GAP + depths[n] * (box_height + LEVEL_GAP)
        return left, top, left + BOX_WIDTH, top + box_height

    for n, (_, parent) in enumerate(diagram.nodes):
        if parent is not None:
            child, above = box(n), box(parent)
            middle = above[3] + LEVEL_GAP // 2
            x_child, x_above = (child[0] + child[2]) // 2, (above[0] + above[2]) // 2
            draw.line([(x_above, above[3]), (x_above, middle)], fill=NHS_BLUE, width=3)
            draw.line([(x_above, middle), (x_child, middle)], fill=NHS_BLUE, width=3)
            draw.line([(x_child, middle), (x_child, child[1])], fill=NHS_BLUE, width=3)
    for n in range(len(diagram.nodes)):
        left, top, right, bottom = box(n)
        draw.rectangle((left, top, right, bottom), outline=NHS_BLUE, width=3, fill="white")
        y = top + (bottom - top - len(lines[n]) * LINE) // 2
        for text in lines[n]:
            draw.text(((left + right) // 2, y), text, fill=TEXT, font=font, anchor="ma")
            y += LINE
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue(), width

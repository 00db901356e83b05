"""A block's text: the Markdown subset, differences between versions and the length guidance."""

from __future__ import annotations

from placeplan.narrative.domain.headings import BY_KEY, HEADINGS, length_warning
from placeplan.narrative.domain.text import Run, diff, parse, plain


def test_paragraphs_lists_and_emphasis():
    blocks = parse("First line\ncontinues.\n\n- one **strong**\n- two *soft*\n\n1. a\n2) b\n")
    assert [b.kind for b in blocks] == ["paragraph", "bullets", "numbers"]
    assert blocks[0].items[0] == (Run("First line continues."),)
    assert blocks[1].items[0] == (Run("one "), Run("strong", strong=True))
    assert blocks[1].items[1] == (Run("two "), Run("soft", emphasis=True))
    assert len(blocks[2].items) == 2


def test_markup_is_kept_as_words():
    text = "<script>alert(1)</script> and 2 * 3 * 4 and a_snake_name"
    (block,) = parse(text)
    assert "".join(r.text for r in block.items[0]) == text
    assert plain(text) == text


def test_a_line_after_an_item_continues_it():
    (block,) = parse("- one\n  more of one\n- two")
    assert [("".join(r.text for r in i)) for i in block.items] == ["one more of one", "two"]


def test_diff_says_what_was_added_and_removed():
    lines = diff("a\nb\nc", "a\nB\nc\nd")
    assert [(d.change, d.text) for d in lines] == [
        ("same", "a"),
        ("removed", "b"),
        ("added", "B"),
        ("same", "c"),
        ("added", "d"),
    ]


def test_over_the_guidance_is_a_warning_naming_the_heading():
    heading = BY_KEY["therapy"]
    assert length_warning("therapy", "word " * heading.words) is None
    warning = length_warning("therapy", "word " * (heading.words + 1))
    assert warning is not None and heading.title in warning and "saved" in warning


def test_every_section_is_in_order():
    sections = [h.section for h in HEADINGS]
    assert sections == sorted(sections) and set(sections) == {1, 2, 3}
    assert len({h.key for h in HEADINGS}) == len(HEADINGS)

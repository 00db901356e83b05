"""What a person types becomes a full-text query of words as prefixes, never query syntax."""

from __future__ import annotations

from placeplan.search.domain import KINDS, Hit, fts5_match, grouped, tsquery, words


def test_words_drop_punctuation_so_nothing_typed_is_query_syntax():
    assert words('Home "first" OR (care*)') == ["home", "first", "or", "care"]
    assert fts5_match('Home "first"') == '"home"* "first"*'
    assert tsquery("care: home & !first") == "care:* & home:* & first:*"
    assert fts5_match("  ?! ") is None and tsquery("") is None


def test_words_are_capped_at_twelve():
    assert len(words(" ".join(f"w{i}" for i in range(30)))) == 12


def test_hits_are_grouped_in_the_kinds_order_keeping_each_kinds_order():
    hits = [
        Hit("organisation", 1, "County Council", None, "/organisations/1"),
        Hit("plan", 2, "County BCF", None, "/plans/2"),
        Hit("organisation", 3, "City Council", None, "/organisations/3"),
    ]
    groups = grouped(hits)
    assert [g.heading for g in groups] == ["Plans", "Organisations"]
    assert [h.title for h in groups[1].hits] == ["County Council", "City Council"]
    assert list(KINDS.values()) == [
        "Plans",
        "Schemes",
        "Metrics",
        "Actions",
        "Pledges",
        "Organisations",
    ]

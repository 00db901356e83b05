"""Every page's forms carry the asker's CSRF token, those rendered through shared macros too."""

from __future__ import annotations


def test_every_form_carries_a_csrf_token(browser, sessions, world):
    """Forms rendered through shared macros must still see the asker's token."""
    from tests.factories import add_budget

    add_budget(sessions, world)
    pages = {
        "county-approver": [f"/plans/{world.plan_id}", "/account"],
        "county-editor": [
            f"/plans/{world.plan_id}",
            f"/plans/{world.plan_id}/edit",
            f"/plans/{world.plan_id}/budget",
            f"/schemes/{world.scheme_id}",
            f"/plans/{world.plan_id}/capacity",
        ],
    }
    for user, paths in pages.items():
        b = browser(user)
        for path in paths:
            html = b.get(path).text
            assert 'name="csrf_token"' in html, path
            assert 'name="csrf_token" value=""' not in html, path


def test_a_select_s_options_are_escaped_and_the_chosen_one_is_marked():
    from placeplan.web.templating import option_tags

    choices = [(1, "Leicester & Rutland"), (2, "<b>Bold</b>"), (12, "Twelve")]
    assert str(option_tags(choices, 2)) == (
        '<option value="1">Leicester &amp; Rutland</option>'
        '<option value="2" selected>&lt;b&gt;Bold&lt;/b&gt;</option>'
        '<option value="12">Twelve</option>'
    )
    assert str(option_tags(choices, 1)).count(" selected") == 1  # 1, not 12 too
    assert " selected" not in str(option_tags(choices, None))
    assert " selected" not in str(option_tags(choices, 7))  # not offered: none chosen

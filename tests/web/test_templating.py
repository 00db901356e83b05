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

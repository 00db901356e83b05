"""The web shell: app factory, sign-in, CSRF, templates and static assets."""

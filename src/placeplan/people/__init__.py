"""Users, their organisations and roles, sign-in sessions and personal API tokens."""

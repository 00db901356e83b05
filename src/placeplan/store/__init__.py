"""Engine, sessions, migrations and the audit log."""

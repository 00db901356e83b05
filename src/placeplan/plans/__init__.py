"""Plans (BCF plans, strategy delivery plans, five-year plans), their sign-off chains and snapshots."""

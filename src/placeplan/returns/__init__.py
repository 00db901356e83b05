"""Quarterly and year-end returns of a BCF plan: actual spend against the plan, metrics against
their ambitions, national conditions and narrative; a confirmed return is a read-only snapshot."""

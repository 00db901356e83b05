"""Measures: SPC charts the NHS way (Making Data Count), ambitions checked at their stated
precision, and equity breakdowns (Core20). Pure functions: no database, no HTTP."""

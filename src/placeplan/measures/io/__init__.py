"""Measurement files read into rows."""

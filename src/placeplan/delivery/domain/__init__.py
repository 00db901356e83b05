"""The delivery tracker's rules, calculations and plain data: no database, no web, no files."""

"""Measures: metrics and their figures by area, SPC charts the NHS way (Making Data Count),
ambitions checked at their stated precision, equity breakdowns (Core20PLUS5) with small numbers
withheld from the public, and commentary.

domain/ is pure; models.py the tables; service/ the operations (reads apply what a reader may
see); present/ labels, CSV, SVG and JSON schemas; pages.py and api.py the routes; cli.py the
commands."""

"""How the measures are shown: labels, CSV rows, SVG charts and the JSON answers' schemas. No
Session, no queries."""

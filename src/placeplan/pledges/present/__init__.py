"""What the pledges' pages and API show, with no Session and no queries: the JSON answers and
their schemas (answers), the download tables (tables), the interventions' timeline charts
(timeline) and the edit forms' values (forms)."""

"""How the financial model is shown: £000 tables, charts, JSON answers and audit kinds."""

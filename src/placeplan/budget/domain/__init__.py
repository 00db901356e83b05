"""The budget as plain values and pure rules: the national lists (catalogue), the dataclasses the
workbook and the API carry (core), the funding rules, summaries, stated figures, KLOE reviews and
the mapping of a plain dict to a BudgetDocument. No database, web or file format here."""

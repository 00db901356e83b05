"""A BCF plan's pooled budget: income by funding source, schemes and their expenditure lines,
the funding rules, summaries, KLOE reviews and the planning workbook."""

"""Money over several years: a plan's medium-term financial model, its bridge and scenarios."""

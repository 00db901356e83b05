"""Board packs: one PDF of what a body oversees (metrics, budget, capacity, delivery, pledges)."""

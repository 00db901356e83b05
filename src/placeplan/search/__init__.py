"""Finding records: one search over plans, schemes, metrics, actions, pledges and organisations."""

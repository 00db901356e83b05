"""Pledges of a plan: measures with baseline, target and latest value; interventions with timelines."""

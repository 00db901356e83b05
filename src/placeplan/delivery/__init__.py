"""Delivery plans: themes, priorities, actions, milestones and their updates by reporting period."""

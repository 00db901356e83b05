"""placeplan: the system of record for a local health and care system's plans, money, measures and models."""

__version__ = "0.1.0"

"""Organisations of a system: ICB, councils, trusts, VCSE bodies, Healthwatch."""

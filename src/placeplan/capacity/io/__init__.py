"""A capacity scenario read from YAML."""

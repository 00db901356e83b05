"""Governance bodies (HWB, Integration Executive, JICB, ...), their members and reporting lines."""

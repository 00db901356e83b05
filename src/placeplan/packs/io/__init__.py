"""A board pack's file format: HTML to PDF."""

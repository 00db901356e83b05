"""The financial model's file formats."""

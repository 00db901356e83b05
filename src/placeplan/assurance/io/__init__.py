"""Assurance's file formats: a batch of planning workbooks as a zip."""

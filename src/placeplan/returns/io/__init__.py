"""A return's file formats: the return as a workbook."""

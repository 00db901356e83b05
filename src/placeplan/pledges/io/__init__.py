"""The pledges table as a workbook."""

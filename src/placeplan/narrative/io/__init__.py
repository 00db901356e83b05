"""The narrative's file formats: the narrative plan in Word (an organisation's template, or the
accessible default) and the capacity and demand plan workbook."""

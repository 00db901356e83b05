"""Files in and out: the BCF planning workbook (`bcf_workbook`), and the checks that keep a hostile
upload from doing harm (`xlsx_guard`)."""

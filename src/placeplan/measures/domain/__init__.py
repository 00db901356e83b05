"""The measures' pure rules and calculations: no database, no HTTP.

spc           XmR charts the NHS way (Making Data Count)
frequency     which figures a chart is drawn over (one period length), and as at a date
ambitions     stated changes checked at their precision; on track or not
equity        Core20 shares, the most-to-least deprived gap and its trend
intervals     95% confidence intervals (Wilson, Byars)
standardise   directly standardised rates (ESP 2013, Dobson)
suppression   small numbers withheld from the public
breakdowns    the figures, tables and gaps of who is left behind
values        a value from counts; the numbers and columns an import reads
commentary    what commentary may be
fingertips    what the OHID Fingertips API answers, read into rows
"""

"""The one parser of periods and years, split by what a period is written for.

financial   financial years and ranges of them, as plans write them: `2025-26`, `2023-24 to 2027-28`
reporting   a measure's reporting period: month `2025-07`, quarter `2025-26 Q3`, year `2025-26`,
            with its kind and a sort key in months
quarters    a delivery report's period: quarter `2025-26 Q2` or month `2025-09`, with its days
spans       the period a published figure is for: financial year, quarter, month, calendar year
            `2021` or years `2018 to 2020`, with its days
"""

from placeplan.core.periods.financial import FinancialYear, Period, parse_period
from placeplan.core.periods.quarters import QuarterOrMonth, parse_quarter_or_month
from placeplan.core.periods.reporting import ReportingPeriod, parse_reporting_period
from placeplan.core.periods.spans import Span, parse_span

__all__ = [
    "FinancialYear",
    "Period",
    "QuarterOrMonth",
    "ReportingPeriod",
    "Span",
    "parse_period",
    "parse_quarter_or_month",
    "parse_reporting_period",
    "parse_span",
]

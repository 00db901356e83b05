"""The measures' operations, split by job; the public functions are re-exported here so
`from placeplan.measures import service; service.x(...)` keeps working.

metrics          the catalogue: list, find, add; which metrics have figures in an area
imports          measurements imported with validation, all or nothing, rates from counts;
                 re-imports update changed measurements in place and leave the same ones be
previews         an upload previewed (differences and checks, nothing written), then confirmed
ambitions        targets, their stated-change checks and standing against the figures
figures          a metric's series, SPC chart and commentary in an area, as a reader may see it
board            every measure at a glance, cached per revision (revisions)
breakdowns       who is left behind: figures by deprivation, ethnicity, sex, age, PLUS group
commentary       what a board should read into a period's figure
plans            a plan's ambitions, schemes and predictions
fingertips       the OHID Fingertips API connector; fingertips_store keeps its rows
"""

from placeplan.measures.domain.values import COLUMNS, UNITS
from placeplan.measures.service.ambitions import (
    STANDING,
    Progress,
    Standing,
    add_ambition,
    ambitions_for,
    check_ambition,
    progress,
    standing_by_period,
)
from placeplan.measures.service.board import BoardRow, BoardView, Latest, board, board_view
from placeplan.measures.service.figures import MetricView, chart, metric_view
from placeplan.measures.service.imports import (
    CheckedRows,
    check_rows,
    compute_value,
    import_rows,
    population_for,
    read_rows,
    write_rows,
)
from placeplan.measures.service.metrics import (
    add_metric,
    get_metric,
    has_breakdowns,
    list_metrics,
    metric_in,
    metrics_with_data,
    series,
)
from placeplan.measures.service.previews import (
    MeasuresPreview,
    StalePreview,
    confirm_measurements,
    hold_measurements,
    import_metric,
    preview_rows,
)
from placeplan.measures.service.revisions import touch

__all__ = [
    "COLUMNS",
    "STANDING",
    "UNITS",
    "BoardRow",
    "BoardView",
    "CheckedRows",
    "Latest",
    "MeasuresPreview",
    "MetricView",
    "Progress",
    "StalePreview",
    "Standing",
    "add_ambition",
    "add_metric",
    "ambitions_for",
    "board",
    "board_view",
    "chart",
    "check_ambition",
    "check_rows",
    "compute_value",
    "confirm_measurements",
    "get_metric",
    "metric_in",
    "has_breakdowns",
    "hold_measurements",
    "import_metric",
    "import_rows",
    "list_metrics",
    "metric_view",
    "metrics_with_data",
    "population_for",
    "preview_rows",
    "progress",
    "read_rows",
    "series",
    "standing_by_period",
    "touch",
    "write_rows",
]

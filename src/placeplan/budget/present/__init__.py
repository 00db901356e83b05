"""The budget shaped for reading: JSON answers (pydantic), CSV rows, chart geometry and the
labels the pages show. No Session, no queries."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from placeplan.audit.domain import Names, describe_kind
from placeplan.budget.domain import catalogue as cat
from placeplan.budget.domain.core import ExpenditureLine, Finding
from placeplan.budget.domain.differences import Names as BudgetNames
from placeplan.budget.domain.differences import stated_name as stated_name
from placeplan.budget.domain.kloe import KLOE_PARTS
from placeplan.budget.domain.summary import Share, Summary
from placeplan.budget.models import ExpenditureLineRow, KloeReview, Scheme
from placeplan.budget.service import BudgetView
from placeplan.core.actor import Actor
from placeplan.core.money import format_pence
from placeplan.core.permissions import can_read_unpublished
from placeplan.web.differences import DifferencesOut

SORTABLE = {
    "line": "line_id",
    "scheme": "scheme_name",
    "type": "scheme_type",
    "source": "funding_source",
    "amount": "amount_pence",
    "new": "new_pence",
    "category": "category",
}
LABELS = {
    "category": cat.CATEGORIES,
    "scheme_type": cat.SCHEME_TYPES,
    "funding_source": cat.FUNDING_SOURCES,
    "provider": cat.PROVIDERS,
    "area_of_spend": cat.AREAS_OF_SPEND,
    "commissioner": cat.COMMISSIONERS,
}

LINES_PER_PAGE = 100  # a 750-line budget stays quick to serve and to read; CSV has them all

LINE_COLUMNS = [
    "line_id",
    "scheme_id",
    "scheme_name",
    "scheme_type",
    "sub_type",
    "category",
    "funding_source",
    "amount_pence",
    "new_pence",
    "area_of_spend",
    "commissioner",
    "nhs_share",
    "provider",
    "district",
    "planned_outputs",
    "output_unit",
    "illustrative",
]


def bars(shares: list[Share], title: str) -> dict[str, Any]:
    """What the SVG bar chart needs: widths as percentages of the largest bar."""
    largest = max((s.total_pence for s in shares), default=0) or 1
    return {
        "title": title,
        "rows": [
            {
                "label": s.label,
                "value": format_pence(s.total_pence, whole_pounds=True),
                "width": round(100 * s.total_pence / largest, 2),
                "share": f"{s.share * 100:.1f}%",
            }
            for s in shares
        ],
    }


def filtered_lines(
    lines: tuple[ExpenditureLine, ...], params: dict[str, str]
) -> list[ExpenditureLine]:
    """The lines the page's filters choose, in the order it asks for."""
    chosen = list(lines)
    for key in ("category", "scheme_type", "funding_source"):
        if params.get(key):
            chosen = [line for line in chosen if getattr(line, key) == params[key]]
    sort = SORTABLE.get(params.get("sort", ""), "line_id")
    reverse = params.get("order") == "desc"
    chosen.sort(key=lambda line: getattr(line, sort) or "", reverse=reverse)
    return chosen


def line_rows(lines: list[ExpenditureLine], names: BudgetNames | None = None) -> list[list[Any]]:
    """The CSV's rows, in LINE_COLUMNS order; a district council by its name where `names`
    knows it."""
    organisation = names.organisation if names else (lambda key: key or "")
    return [
        [organisation(line.district) if c == "district" else getattr(line, c) for c in LINE_COLUMNS]
        for line in lines
    ]


def page_of(
    lines: list[ExpenditureLine], params: dict[str, str]
) -> tuple[list[ExpenditureLine], int, int]:
    """The asked-for page of lines (1 when the page is not a number), its number and the count."""
    pages = max(1, -(-len(lines) // LINES_PER_PAGE))
    page = min(
        max(1, int(params.get("page", "1")) if params.get("page", "1").isdigit() else 1), pages
    )
    return lines[(page - 1) * LINES_PER_PAGE : page * LINES_PER_PAGE], page, pages


# ---- JSON answers -------------------------------------------------------------------------------


def line_url(line_id: int) -> str:
    """Where a line is changed: `PATCH /api/v1/lines/{id}`."""
    return f"/api/v1/lines/{line_id}"


class FindingOut(BaseModel):
    rule: str
    severity: str
    message: str
    line_id: str | None = None
    field: str | None = None


class CategoryShareOut(BaseModel):
    category: str
    label: str
    total_pence: int
    new_pence: int
    share: float


class ShareOut(BaseModel):
    key: str
    label: str
    total_pence: int
    new_pence: int
    share: float


class SummaryOut(BaseModel):
    total_pence: int
    new_pence: int
    categories: list[CategoryShareOut]
    by_type: list[ShareOut]
    by_source: list[ShareOut]
    by_provider: list[ShareOut]


class SchemeInfoOut(BaseModel):
    scheme_id: str
    name: str
    scheme_type: str
    category: str
    description: str | None
    start_date: str | None
    end_date: str | None
    desired_outcomes: str | None
    metrics: list[str]
    priorities: list[str]
    illustrative: bool


class LineOut(BaseModel):
    line_id: str
    scheme_id: str
    scheme_name: str
    scheme_type: str
    category: str
    funding_source: str
    amount_pence: int
    new_pence: int
    sub_type: str | None
    area_of_spend: str | None
    commissioner: str | None
    nhs_share: str | None
    provider: str | None
    district: str | None
    planned_outputs: str | None
    output_unit: str | None
    description: str | None
    illustrative: bool
    id: int  # the line's record: PATCH it at `url` with its `version`
    version: int
    url: str


class IncomeOut(BaseModel):
    source: str
    amount_pence: int
    contributor: str | None
    note: str | None
    illustrative: bool


class StatedOut(BaseModel):
    what: str
    text: str
    computed: str | None
    agrees: bool | None


class BudgetOut(BaseModel):
    plan_id: int
    revision: str | None = Field(
        description="The budget's revision: send it back with a whole budget (PUT) so that a "
        "budget changed since it was read is refused (409); null before the budget's first write"
    )
    year: str
    summary: SummaryOut
    findings: list[FindingOut]
    schemes: list[SchemeInfoOut]
    lines: list[LineOut]
    income: list[IncomeOut]
    stated: list[StatedOut]


class BudgetLoaded(BaseModel):
    plan_id: int
    warnings: list[FindingOut]


class LineSaved(BaseModel):
    id: int
    ref: str
    amount_pence: int
    new_pence: int
    version: int


class SchemeLineOut(BaseModel):
    id: int
    ref: str
    amount_pence: int
    new_pence: int
    funding_source: str
    version: int
    url: str


class ReviewOut(BaseModel):
    id: int
    reviewed_on: str
    reviewer: str | None = Field(None, description="who reviewed: for signed-in readers only")
    recommendation: str
    parts: dict[str, Any]


class SchemeOut(BaseModel):
    id: int
    ref: str
    name: str
    scheme_type: str
    category: str
    metrics: list[str]
    priorities: list[str]
    lines: list[SchemeLineOut]
    reviews: list[ReviewOut]
    version: int


class ReviewAdded(BaseModel):
    id: int
    recommendation: str


class BudgetIn(BaseModel):
    document: dict[str, Any]
    revision: str | None = Field(
        description="The revision the budget had when read (GET), null for a budget never "
        "written; a budget changed since is refused (409) and nothing is written"
    )


class ReviewIn(BaseModel):
    reviewed_on: date
    parts: dict[str, dict[str, str]]
    recommendation: str
    body: str | None = None
    summary: str | None = None


class LineChange(BaseModel):
    version: int
    amount_pence: int | None = None
    new_pence: int | None = None
    provider: str | None = None
    note: str | None = None


def summary_json(summary: Summary) -> dict[str, Any]:
    return summary.as_json()


def findings_json(findings: list[Finding]) -> list[dict[str, Any]]:
    return [asdict(f) for f in findings]


def _line_json(line: ExpenditureLine, record: tuple[int, int]) -> dict[str, Any]:
    body = asdict(line)
    for key in ("nhs_share", "planned_outputs"):
        body[key] = str(body[key]) if body[key] is not None else None
    line_id, version = record
    return {**body, "id": line_id, "version": version, "url": line_url(line_id)}


def budget_json(plan_id: int, budget: BudgetView) -> dict[str, Any]:
    return {
        "plan_id": plan_id,
        "year": budget.document.year,
        "summary": summary_json(budget.summary),
        "findings": findings_json(budget.findings),
        "schemes": [
            {
                **asdict(s),
                "start_date": s.start_date and s.start_date.isoformat(),
                "end_date": s.end_date and s.end_date.isoformat(),
            }
            for s in budget.document.schemes
        ],
        "lines": [
            _line_json(line, budget.line_ids[line.line_id]) for line in budget.document.lines
        ],
        "income": [asdict(i) for i in budget.document.income],
        "stated": [
            {
                "what": f.what,
                "text": f.text,
                "computed": c.shown_as if c else None,
                "agrees": c.agrees if c else None,
            }
            for f, c in budget.stated
        ],
    }


def line_saved_json(row: ExpenditureLineRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "ref": row.ref,
        "amount_pence": row.amount_pence,
        "new_pence": row.new_pence,
        "version": row.version,
    }


def scheme_json(scheme: Scheme, reader: Actor) -> dict[str, Any]:
    """A scheme's answer; who reviewed it only for a reader who may see internal fields."""
    internal = can_read_unpublished(reader)
    return {
        "id": scheme.id,
        "ref": scheme.ref,
        "name": scheme.name,
        "scheme_type": scheme.scheme_type,
        "category": scheme.category,
        "metrics": scheme.metrics,
        "priorities": scheme.priorities,
        "lines": [
            {
                "id": r.id,
                "ref": r.ref,
                "amount_pence": r.amount_pence,
                "new_pence": r.new_pence,
                "funding_source": r.funding_source,
                "version": r.version,
                "url": line_url(r.id),
            }
            for r in scheme.lines
        ],
        "reviews": [
            {
                "id": r.id,
                "reviewed_on": r.reviewed_on.isoformat(),
                "reviewer": r.reviewer if internal else None,
                "recommendation": r.recommendation,
                "parts": r.parts,
            }
            for r in scheme.reviews
        ],
        "version": scheme.version,
    }


def review_added_json(review: KloeReview) -> dict[str, Any]:
    return {"id": review.id, "recommendation": review.recommendation}


# A planning workbook's upload, previewed and confirmed (service.preview).


class LocatedFindingOut(BaseModel):
    rule: str
    severity: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    message: str


class WorkbookPreviewOut(BaseModel):
    plan_id: int
    token: str | None
    file: str
    differences: DifferencesOut
    findings: list[LocatedFindingOut]


class WorkbookConfirmIn(BaseModel):
    token: str


class WorkbookAppliedOut(BaseModel):
    plan_id: int
    differences: DifferencesOut


def _income_name(state: Any, names: Names) -> str:
    source = cat.FUNDING_SOURCES.get(state.get("source") or "", state.get("source") or "")
    contributor = state.get("contributor_id")
    by = names.name("organisation", contributor) if isinstance(contributor, int) else None
    return f"{source} from {by}" if by else source


def _kloe_parts(parts: Any) -> str:
    said = []
    for part, rated in (parts if isinstance(parts, dict) else {}).items():
        rated = rated if isinstance(rated, dict) else {"rating": rated}
        comment = f" ({rated['comment']})" if rated.get("comment") else ""
        said.append(f"{KLOE_PARTS.get(part, part)}: {rated.get('rating') or 'not rated'}{comment}")
    return "; ".join(said)


# How the budget's records read in the audit history (audit.domain); unlabelled columns read
# from their names ("area_of_spend": "Area of spend").
AUDIT_KINDS = (
    describe_kind(
        "bcf_scheme",
        noun="scheme",
        labels={"name": "Name", "ref": "Scheme ID", "scheme_type": "Scheme type"},
        choices={
            "scheme_type": cat.SCHEME_TYPES,
            "category": cat.CATEGORIES,
            "metrics": cat.NATIONAL_METRICS,
        },
        part="the budget",
    ),
    describe_kind(
        "bcf_line",
        noun="line",
        name="Line {ref}",
        within="scheme_id",
        labels={
            "amount_pence": "Amount",
            "new_pence": "New investment",
            "funding_source": "Funding source",
            "ref": "Line ID",
            "sub_type": "Sub-type",
            "nhs_share": "NHS share",
        },
        money={"amount_pence", "new_pence"},
        refs={"scheme_id": "bcf_scheme", "district_id": "organisation"},
        choices={
            "funding_source": cat.FUNDING_SOURCES,
            "sub_type": {c: t for kinds in cat.SUB_TYPES.values() for c, t in kinds.items()},
            "area_of_spend": cat.AREAS_OF_SPEND,
            "commissioner": cat.COMMISSIONERS,
            "provider": cat.PROVIDERS,
            "output_unit": cat.OUTPUT_UNITS,
        },
        formats={"nhs_share": lambda v: f"{v}%"},
        part="the budget",
    ),
    describe_kind(
        "bcf_income",
        noun="income contribution",
        name=_income_name,
        labels={"amount_pence": "Amount", "source": "Funding source"},
        money={"amount_pence"},
        refs={"contributor_id": "organisation"},
        choices={"source": cat.FUNDING_SOURCES},
        part="the budget",
    ),
    describe_kind(
        "bcf_top_slice",
        noun="DFG top-slice",
        name="{purpose}",
        labels={"amount_pence": "Amount", "body_id": "Decided by"},
        money={"amount_pence"},
        refs={"body_id": "body"},
        part="the budget",
    ),
    describe_kind(
        "bcf_nhs_asc_baseline",
        noun="adult social care baseline",
        name=lambda state, names: ", ".join(
            p
            for p in (names.name("area", state.get("area_id") or 0), str(state["year_start"]))
            if p
        ),
        labels={
            "baseline_pence": "Baseline",
            "uplift_percent": "Uplift",
            "year_start": "Year",
            "uplift_source": "Where the uplift came from",
            "uplift_model_id": "Financial model",
        },
        money={"baseline_pence"},
        refs={"area_id": "area", "uplift_model_id": "finance_model"},
        formats={"uplift_percent": lambda v: f"{v}%", "year_start": str},
    ),
    describe_kind(
        "kloe_review",
        noun="KLOE review",
        name="KLOE review",
        within="scheme_id",
        labels={"parts": "Ratings"},
        refs={"scheme_id": "bcf_scheme", "body_id": "body"},
        formats={"parts": _kloe_parts, "recommendation": lambda v: str(v).capitalize()},
        hidden={"recorded_at", "recorded_by"},
        part="the budget",
        belongs_to=("scheme_id", "bcf_scheme"),
    ),
)

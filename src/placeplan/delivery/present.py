"""How delivery answers look: the JSON schemas of the API, CSV rows, the plan on a page's chart
geometry and the labels the pages show. No Session, no queries."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import Any
from urllib.parse import urlencode

from pydantic import BaseModel, Field

from placeplan.audit.domain import describe_kind
from placeplan.delivery.domain import rules
from placeplan.delivery.domain.ratings import RAG_COLOURS, RAG_SHAPES, RAG_WORDS, RATINGS
from placeplan.delivery.domain.rows import ActionRow
from placeplan.delivery.service.reads import Tracker
from placeplan.web.differences import CheckOut, SectionOut

LABELS = {
    "rag": rules.RAG_LABELS,
    "stages": rules.STAGES,
    "changes": rules.CHANGES,
    "rag_kinds": rules.RAG_KINDS,
}
RAG = {"shapes": RAG_SHAPES, "words": RAG_WORDS, "colours": RAG_COLOURS, "ratings": RATINGS}

# ---- the tracker ------------------------------------------------------------------------------

TRACKER_COLUMNS = [
    "ref",
    "theme",
    "priority",
    "we_will",
    "stage",
    "body",
    "overall_rag",
    "change",
    "risk_rag",
    "trajectory_rag",
    "rated_in",
    "overdue_milestones",
]


def tracker_csv_rows(rows: list[ActionRow]) -> list[list[Any]]:
    return [
        [
            r.ref,
            r.theme,
            r.priority,
            r.we_will,
            r.stage,
            r.body or "",
            r.current.overall if r.current else "",
            r.change,
            (r.current.risk or "") if r.current else "",
            (r.current.trajectory or "") if r.current else "",
            r.current.period if r.current else "",
            len(r.overdue),
        ]
        for r in rows
    ]


def history_csv(
    periods: list[str], rows: list[tuple[ActionRow, dict[str, str]]]
) -> tuple[list[str], list[list[str]]]:
    """The ratings-by-period grid as CSV: one row per action, one column per period, each
    rating as its word (Red, Amber, Green), blank where the action was not rated."""
    header = ["Ref", "Theme", "We will", *periods]
    return header, [
        [r.ref, r.theme, r.we_will, *(rules.RAG_LABELS.get(by.get(p, ""), "") for p in periods)]
        for r, by in rows
    ]


def action_url(plan_id: int, action_id: int) -> str:
    return f"/plans/{plan_id}/delivery/actions/{action_id}/edit"


def milestone_url(plan_id: int, milestone_id: int) -> str:
    return f"/plans/{plan_id}/delivery/milestones/{milestone_id}/edit"


def row_json(plan_id: int, row: ActionRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "ref": row.ref,
        "we_will": row.we_will,
        "stage": row.stage,
        "theme": row.theme,
        "priority_ref": row.priority_ref,
        "body_id": row.body_id,
        "lead_contacts": row.lead_contacts,
        "due_date": row.due_date.isoformat() if row.due_date else None,
        "version": row.version,
        "url": action_url(plan_id, row.id),
        "current": {**asdict(row.current), "period_end": row.current.period_end.isoformat()}
        if row.current
        else None,
        "previous_rag": row.previous.overall if row.previous else None,
        "change": row.change,
        "overdue": [{**m, "due": m["due"].isoformat()} for m in row.overdue],
    }


# The update form's inputs, each named "<key>-<action id>", and the report field each fills.
UPDATE_FORM_FIELDS = {
    "overall": "overall_rag",
    "risk": "risk_rag",
    "trajectory": "trajectory_rag",
    "internal": "internal_commentary",
    "public": "public_commentary",
    "risks": "risks",
    "decision": "decision_needed",
    "evidence": "evidence",
}


# ---- the JSON API's answers -------------------------------------------------------------------


class RatingOut(BaseModel):
    period: str
    period_end: str
    overall: str
    risk: str | None
    trajectory: str | None
    internal_commentary: str | None
    decision_needed: str | None
    risks: str | None
    version: int
    public_commentary: str | None = None
    evidence: str | None = None


class OverdueOut(BaseModel):
    ref: str
    by: str
    due: str


class TrackerActionOut(BaseModel):
    id: int
    ref: str
    we_will: str
    stage: str
    theme: str
    priority_ref: str
    body_id: int | None
    lead_contacts: list[str]
    due_date: str | None
    version: int
    url: str
    current: RatingOut | None
    previous_rag: str | None
    change: str
    overdue: list[OverdueOut]


class PriorityOut(BaseModel):
    ref: str
    statement: str
    outcome_statement: str | None


class ThemeOut(BaseModel):
    ref: str
    name: str
    ambition: str | None
    priorities: list[PriorityOut]


class TrackerOut(BaseModel):
    plan_id: int
    period: str | None
    periods: list[str]
    rag_definitions: dict[str, dict[str, str]]
    themes: list[ThemeOut]
    actions: list[TrackerActionOut]


class HighlightOut(BaseModel):
    """The highlight report: each list item is an action (action_id, ref, ...) or a milestone."""

    plan: dict[str, Any]
    period: str | None
    period_end: str | None
    body: int | None
    counts: dict[str, int]
    reds: list[dict[str, Any]]
    ambers: list[dict[str, Any]]
    changes: list[dict[str, Any]]
    not_updated: list[dict[str, Any]]
    overdue: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    rag_definitions: dict[str, dict[str, str]]


class PublicPlanOut(BaseModel):
    id: int
    title: str
    summary: str | None


class PublicViewOut(BaseModel):
    """A published plan's public view: themes -> priorities -> actions with their "By ..."."""

    plan: PublicPlanOut
    themes: list[dict[str, Any]]


class ActionChange(BaseModel):
    """Every field of an action the page edits (delivery.domain.fields.ACTION_FIELDS)."""

    version: int
    we_will: str | None = None
    i_will: str | None = None
    stage: str | None = None
    improvement: str | None = None
    equity: str | None = None
    equity_assured: bool | None = None
    resources: str | None = None
    resources_source: str | None = None
    engagement: str | None = None
    body_id: int | None = None
    governance_note: str | None = None
    start_date: date | None = None
    due_date: date | None = None
    lead_contacts: list[str] | None = None
    lead_organisations: list[str] | None = None
    lead_user_id: int | None = None
    principles: list[str] | None = Field(
        None, description="refs of the plan's guiding principles, each once"
    )
    plus_groups: list[str] | None = Field(None, description="the plan's PLUS groups, each once")


class ActionSaved(BaseModel):
    id: int
    ref: str
    stage: str
    version: int
    url: str


class UpdateBody(BaseModel):
    # Required: 0 means "there is no report yet", and over a stored one it is a 409, never a
    # blind overwrite, so an edit of a stored report always names the version it started from
    version: int = Field(
        description="The period report's version you started from: 0 when there is none yet"
    )
    overall_rag: str
    risk_rag: str | None = None
    trajectory_rag: str | None = None
    internal_commentary: str | None = None
    public_commentary: str | None = None
    risks: str | None = None
    decision_needed: str | None = None
    evidence: str | None = None


class UpdateSaved(BaseModel):
    action_id: int
    period: str
    version: int


class TrackerPreviewOut(BaseModel):
    """What an uploaded tracker workbook changes (a preview: nothing written yet, confirm with
    `token`), or changed (a confirmation: `token` is null)."""

    plan_id: int
    file: str
    period: str
    token: str | None
    base: str
    checks: list[CheckOut]
    summary: str
    sections: list[SectionOut]


class ConfirmBody(BaseModel):
    """A preview to confirm: its token, and the revision its differences were last seen against
    (`base` of the preview, or of the 409 answer's new preview); default the preview's own."""

    token: str
    base: str | None = None


# ---- report files and pages -------------------------------------------------------------------


def slug(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (text or "no-period").lower()).strip("-")


def report_query(content: dict[str, Any]) -> str:
    """The period and body as a query string, for the download links."""
    params = {}
    if content.get("period"):
        params["period"] = content["period"]
    if content.get("body"):
        params["body"] = str(content["body"]["id"])
    return urlencode(params)


EXCEPTION_TABLES: dict[str, tuple[list[str], Callable[[dict[str, Any]], list[list[Any]]]]] = {
    "reds": (
        [
            "ref",
            "we_will",
            "theme",
            "body",
            "overall_rag",
            "change",
            "previous_rag",
            "previous_period",
            "risk_rag",
            "trajectory_rag",
            "rated_in",
            "commentary",
            "risks",
            "lead_contacts",
        ],
        lambda c: [
            [
                r["ref"],
                r["we_will"],
                r["theme"],
                r["body"] or "",
                r["overall_rag"],
                r["change"],
                r["previous_rag"] or "",
                r["previous_period"] or "",
                r["risk_rag"] or "",
                r["trajectory_rag"] or "",
                r["rated_in"] or "",
                r["commentary"] or "",
                r["risks"] or "",
                "; ".join(r["lead_contacts"] or []),
            ]
            for r in c["reds"]
        ],
    ),
    "changes": (
        ["ref", "we_will", "previous_rag", "previous_period", "overall_rag", "change"],
        lambda c: [
            [
                r["ref"],
                r["we_will"],
                r["previous_rag"] or "",
                r["previous_period"] or "",
                r["overall_rag"],
                r["change"],
            ]
            for r in c["changes"]
        ],
    ),
    "overdue": (
        ["action_ref", "milestone_ref", "by", "due"],
        lambda c: [[o["action_ref"], o["ref"], o["by"], o["due"]] for o in c["overdue"]],
    ),
    "decisions": (
        ["ref", "decision"],
        lambda c: [[d["ref"], d["decision"]] for d in c["decisions"]],
    ),
}


ON_A_PAGE_COLUMNS = ["theme_ref", "theme", *RATINGS, "actions", "overdue_milestones"]


def on_a_page_rows(content: dict[str, Any]) -> list[list[Any]]:
    return [
        [
            t["ref"],
            t["name"],
            *(t["counts"][r] for r in RATINGS),
            t["actions"],
            t["overdue"],
        ]
        for t in content["themes"]
    ]


def chart(content: dict[str, Any], width: int = 640) -> dict[str, Any]:
    """Geometry of the plan on a page's bar chart: one group of four bars per theme, each bar's
    length its share of the largest count, each labelled with its shape, word and count."""
    largest = max([n for theme in content["themes"] for n in theme["counts"].values()] + [1])
    label_w, bar_h, gap, group_gap = 180, 22, 4, 20
    scale = (width - label_w - 140) / largest  # room after the longest bar for its label
    groups = []
    y = 0
    for theme in content["themes"]:
        bars = []
        for i, rating in enumerate(RATINGS):
            n = theme["counts"][rating]
            bars.append(
                {
                    "rating": rating,
                    "count": n,
                    "y": y + i * (bar_h + gap),
                    "width": round(n * scale, 1),
                    "colour": RAG_COLOURS[rating],
                    "label": f"{RAG_SHAPES[rating]} {RAG_WORDS[rating]} {n}",
                }
            )
        groups.append({"name": theme["name"], "y": y, "bars": bars})
        y += len(RATINGS) * (bar_h + gap) + group_gap
    return {
        "width": width,
        "height": max(y - group_gap, bar_h),
        "label_width": label_w,
        "bar_height": bar_h,
        "groups": groups,
    }


def tracker_json(plan_id: int, t: Tracker) -> dict[str, Any]:
    """The tracker as the API answers it: periods, RAG definitions, themes and every action."""
    return {
        "plan_id": plan_id,
        "period": t.period.label if t.period else None,
        "periods": t.periods,
        "rag_definitions": t.rag_definitions,
        "themes": [
            {
                "ref": th.ref,
                "name": th.name,
                "ambition": th.ambition,
                "priorities": [
                    {
                        "ref": p.ref,
                        "statement": p.statement,
                        "outcome_statement": p.outcome_statement,
                    }
                    for p in th.priorities
                ],
            }
            for th in t.themes
        ],
        "actions": [row_json(plan_id, r) for r in t.actions],
    }


# How a delivery plan's records read in the audit history (audit.domain).
_RAGS = {f"{kind}_rag": rules.RAG_LABELS for kind in rules.RAG_KINDS}
AUDIT_KINDS = (
    # An upload of the tracker workbook, confirmed: what the person did leads its changes.
    describe_kind(
        "delivery_tracker",
        noun="delivery plan",
        name="title",
        labels={"file": "File", "period": "Reporting period", "changes": "Changes"},
        verbs={"upload_tracker": "uploaded the tracker workbook of"},
        part="the delivery plan",
    ),
    describe_kind("delivery_framework", noun="delivery framework", part="the delivery plan"),
    describe_kind("delivery_theme", noun="theme", part="the delivery plan"),
    describe_kind(
        "delivery_priority",
        noun="priority",
        name="Priority {ref}",
        within="theme_id",
        refs={"theme_id": "delivery_theme"},
        part="the delivery plan",
    ),
    describe_kind(
        "delivery_action",
        noun="action",
        name="Action {ref}",
        labels={"we_will": "We will", "i_will": "I will", "stage": "Stage"},
        refs={"priority_id": "delivery_priority", "body_id": "body", "lead_user_id": "user"},
        choices={"stage": rules.STAGES},
        part="the delivery plan",
    ),
    describe_kind(
        "delivery_milestone",
        noun="milestone",
        name="Milestone {ref}",
        within="action_id",
        labels={"by_text": "Milestone", "due_date": "Due", "done_date": "Done"},
        refs={"action_id": "delivery_action"},
        part="the delivery plan",
    ),
    describe_kind(
        "delivery_update",
        noun="progress update",
        name="Update for {period}",
        within="action_id",
        labels={f"{kind}_rag": label for kind, label in rules.RAG_KINDS.items()},
        refs={"action_id": "delivery_action"},
        choices=_RAGS,
        hidden={"updated_by"},
        part="the delivery plan",
    ),
)

"""A BudgetDocument from plain data (the demo's YAML, the API's JSON), naming bad fields, and back
(`document_to_mapping`, the exact inverse: what a plan's snapshot keeps)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from placeplan.budget.domain.core import (
    BudgetDocument,
    ExpenditureLine,
    IncomeLine,
    SchemeInfo,
    StatedFigure,
    TopSlice,
)
from placeplan.core.errors import InputError


class _Reader:
    def __init__(self, file: str | None) -> None:
        self.file = file

    def fail(self, message: str, field: str) -> InputError:
        return InputError(message, field=field, file=self.file)

    def text(
        self, item: dict[str, Any], key: str, where: str, required: bool = False
    ) -> str | None:
        value = item.get(key)
        if value is None or str(value).strip() == "":
            if required:
                raise self.fail(f"{key} is required", f"{where}.{key}")
            return None
        return str(value)

    def pence(self, item: dict[str, Any], key: str, where: str, default: int | None = None) -> int:
        value = item.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(
                f"{key} must be a whole number of pence, got {value!r}", f"{where}.{key}"
            )
        return value

    def decimal(self, item: dict[str, Any], key: str, where: str) -> Decimal | None:
        value = item.get(key)
        if value is None:
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation as exc:
            raise self.fail(f"{key} must be a number, got {value!r}", f"{where}.{key}") from exc

    def day(self, item: dict[str, Any], key: str, where: str) -> date | None:
        value = item.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError as exc:
            raise self.fail(
                f"{key} must be a date such as 2025-04-01, got {value!r}", f"{where}.{key}"
            ) from exc


def document_from_mapping(data: dict[str, Any], file: str | None = None) -> BudgetDocument:
    """The BudgetDocument `data` describes; an InputError names the file and the first bad field
    (schemes and their lines first, then income, top-slices and stated figures)."""
    r = _Reader(file)
    schemes: list[SchemeInfo] = []
    lines: list[ExpenditureLine] = []
    for i, item in enumerate(data.get("schemes") or []):
        where = f"schemes[{i}]"
        scheme = _scheme(r, item, where)
        schemes.append(scheme)
        lines.extend(
            _line(r, li, f"{where}.lines[{j}]", item, where, scheme)
            for j, li in enumerate(item.get("lines") or [])
        )
    income = [_income(r, item, f"income[{i}]") for i, item in enumerate(data.get("income") or [])]
    top_slices = [
        _top_slice(r, item, f"top_slices[{i}]")
        for i, item in enumerate(data.get("top_slices") or [])
    ]
    stated = [
        StatedFigure(what=str(item["what"]), text=str(item["text"]), source=item.get("source"))
        for item in data.get("stated") or []
    ]
    return BudgetDocument(
        year=str(data.get("year") or ""),
        schemes=tuple(schemes),
        lines=tuple(lines),
        income=tuple(income),
        top_slices=tuple(top_slices),
        stated=tuple(stated),
    )


def _scheme(r: _Reader, item: dict[str, Any], where: str) -> SchemeInfo:
    return SchemeInfo(
        scheme_id=r.text(item, "id", where, required=True) or "",
        name=r.text(item, "name", where, required=True) or "",
        scheme_type=r.text(item, "scheme_type", where, required=True) or "",
        category=r.text(item, "category", where, required=True) or "",
        description=r.text(item, "description", where),
        start_date=r.day(item, "start_date", where),
        end_date=r.day(item, "end_date", where),
        desired_outcomes=r.text(item, "desired_outcomes", where),
        metrics=tuple(item.get("metrics") or ()),
        priorities=tuple(item.get("priorities") or ()),
        illustrative=bool(item.get("illustrative")),
    )


def _line(
    r: _Reader,
    li: dict[str, Any],
    lw: str,
    item: dict[str, Any],
    where: str,
    scheme: SchemeInfo,
) -> ExpenditureLine:
    """One of a scheme's lines; `item` and `where` are the scheme's, whose sub_type a line
    without its own inherits."""
    return ExpenditureLine(
        line_id=r.text(li, "id", lw, required=True) or "",
        scheme_id=scheme.scheme_id,
        scheme_name=scheme.name,
        scheme_type=scheme.scheme_type,
        category=scheme.category,
        funding_source=r.text(li, "funding_source", lw, required=True) or "",
        amount_pence=r.pence(li, "amount_pence", lw),
        new_pence=r.pence(li, "new_pence", lw, default=0),
        sub_type=r.text(li, "sub_type", lw) or r.text(item, "sub_type", where),
        area_of_spend=r.text(li, "area_of_spend", lw),
        commissioner=r.text(li, "commissioner", lw),
        nhs_share=r.decimal(li, "nhs_share", lw),
        provider=r.text(li, "provider", lw),
        district=r.text(li, "district", lw),
        planned_outputs=r.decimal(li, "planned_outputs", lw),
        output_unit=r.text(li, "output_unit", lw),
        description=r.text(li, "note", lw),
        illustrative=bool(li.get("illustrative")),
    )


def _income(r: _Reader, item: dict[str, Any], where: str) -> IncomeLine:
    return IncomeLine(
        source=r.text(item, "source", where, required=True) or "",
        amount_pence=r.pence(item, "amount_pence", where),
        contributor=r.text(item, "contributor", where),
        note=r.text(item, "note", where),
        illustrative=bool(item.get("illustrative")),
    )


def _top_slice(r: _Reader, item: dict[str, Any], where: str) -> TopSlice:
    decided = r.day(item, "decided_on", where)
    if decided is None:
        raise r.fail("a top-slice needs the date the partners agreed it", f"{where}.decided_on")
    return TopSlice(
        body=r.text(item, "body", where, required=True) or "",
        decided_on=decided,
        amount_pence=r.pence(item, "amount_pence", where),
        purpose=r.text(item, "purpose", where, required=True) or "",
    )


def _day_text(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _number_text(value: Decimal | None) -> str | None:
    """Canonical text, so 50, 50.0 and 50.00 (as the database hands it back) keep alike: a
    version's fingerprint must not move when nothing but the storage changed."""
    return format(value.normalize(), "f") if value is not None else None


def _line_mapping(line: ExpenditureLine) -> dict[str, Any]:
    return {
        "id": line.line_id,
        "funding_source": line.funding_source,
        "amount_pence": line.amount_pence,
        "new_pence": line.new_pence,
        "sub_type": line.sub_type,
        "area_of_spend": line.area_of_spend,
        "commissioner": line.commissioner,
        "nhs_share": _number_text(line.nhs_share),
        "provider": line.provider,
        "district": line.district,
        "planned_outputs": _number_text(line.planned_outputs),
        "output_unit": line.output_unit,
        "note": line.description,
        "illustrative": line.illustrative,
    }


def _scheme_mapping(scheme: SchemeInfo, lines: list[ExpenditureLine]) -> dict[str, Any]:
    return {
        "id": scheme.scheme_id,
        "name": scheme.name,
        "scheme_type": scheme.scheme_type,
        "category": scheme.category,
        "description": scheme.description,
        "start_date": _day_text(scheme.start_date),
        "end_date": _day_text(scheme.end_date),
        "desired_outcomes": scheme.desired_outcomes,
        "metrics": list(scheme.metrics),
        "priorities": list(scheme.priorities),
        "illustrative": scheme.illustrative,
        "lines": [_line_mapping(line) for line in lines],
    }


def document_to_mapping(document: BudgetDocument) -> dict[str, Any]:
    """The plain, JSON-able data `document_from_mapping` reads back into `document`: dates in ISO
    form, exact numbers as strings, money in whole pence, each scheme with its lines. (A line
    naming a scheme the document does not list has nowhere to go; loading refuses such a line.)"""
    lines_of: dict[str, list[ExpenditureLine]] = {s.scheme_id: [] for s in document.schemes}
    for line in document.lines:
        lines_of.setdefault(line.scheme_id, []).append(line)
    return {
        "year": document.year,
        "schemes": [_scheme_mapping(s, lines_of[s.scheme_id]) for s in document.schemes],
        "income": [
            {
                "source": i.source,
                "amount_pence": i.amount_pence,
                "contributor": i.contributor,
                "note": i.note,
                "illustrative": i.illustrative,
            }
            for i in document.income
        ],
        "top_slices": [
            {
                "body": t.body,
                "decided_on": t.decided_on.isoformat(),
                "amount_pence": t.amount_pence,
                "purpose": t.purpose,
            }
            for t in document.top_slices
        ],
        "stated": [{"what": f.what, "text": f.text, "source": f.source} for f in document.stated],
    }

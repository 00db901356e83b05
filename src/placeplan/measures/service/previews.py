"""Measurements uploaded (a file on a page, rows in the API), previewed, then confirmed.

`hold_measurements` checks the rows and matches them to what is stored (`imports.check_rows`),
writing no measurement: it answers the differences (measurements added and changed, by area,
period and breakdown, figures as people read them) and the checks, and holds the upload
(`store.uploads`) with the measures' revision token. `confirm_measurements` writes exactly those
differences, unless the measures changed since the preview: then it is refused (`StalePreview`, a
Conflict) with the new differences, and nothing is written."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from placeplan.core.actor import Actor
from placeplan.core.differences import Differences, Record, compare, differences, plural
from placeplan.core.errors import Conflict, InputError
from placeplan.measures.domain.differences import (
    COMPARED,
    measurement_name,
    measurement_record,
)
from placeplan.measures.domain.suppression import is_small
from placeplan.measures.io.measurements import Rows, read_content
from placeplan.measures.models import Measurement, Metric
from placeplan.measures.service.imports import CheckedRows, check_rows, require_importer, write_rows
from placeplan.measures.service.metrics import get_metric
from placeplan.measures.service.revisions import token as revision_token
from placeplan.store import audit, uploads

KIND = "measurements"
# The name the API's rows are held under (as JSON, with their source): not a file's name.
API_ROWS = "rows sent through the API"


@dataclass
class MeasuresPreview:
    """What an upload changes: the differences, the checks, how many rows are already stored as
    they are, the areas it writes (GSS codes), the revision the differences were worked out
    against (`base`) and the held upload's token (None when nothing would change, or once
    confirmed)."""

    metric: str
    metric_name: str
    file: str
    differences: Differences
    checks: list[str]
    base: str
    unchanged: int
    areas: list[str] = field(default_factory=list)
    token: str | None = None

    def summary(self) -> str:
        return self.differences.summary()

    def as_json(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "metric_name": self.metric_name,
            "file": self.file,
            "token": self.token,
            "base": self.base,
            "unchanged": self.unchanged,
            "areas": self.areas,
            "checks": [{"severity": "warning", "message": c} for c in self.checks],
            **self.differences.as_json(),
        }


@dataclass
class StalePreview(Conflict):
    """The measures changed since the preview: nothing was written; `preview` is the new one."""

    preview: MeasuresPreview | None = None


def revision(session: Session) -> str:
    """The measures' revision token: any change to a measurement or an ambition renews it."""
    return revision_token(session) or ""


def import_metric(session: Session, actor: Actor, metric_key: str) -> Metric:
    """The metric whose measurements an editor may upload (which areas is checked per row)."""
    require_importer(actor)
    return get_metric(session, metric_key)


def preview_rows(
    session: Session,
    actor: Actor,
    metric_key: str,
    rows: Rows,
    file: str | None = None,
    source: str | None = None,
) -> tuple[CheckedRows, MeasuresPreview]:
    """Check the rows against what is stored, writing nothing; the check and its preview."""
    base = revision(session)
    checked = check_rows(session, actor, metric_key, rows, file, source)
    written = [*checked.adds, *(m for m, _ in checked.updates)]
    preview = MeasuresPreview(
        metric_key,
        checked.metric.name,
        file or "",
        measurement_differences(checked),
        measurement_checks(checked),
        base,
        len(checked.unchanged),
        sorted({checked.areas[m.area_id].gss_code for m in written}),
    )
    return checked, preview


def api_content(rows: list[dict[str, str]], source: str | None) -> bytes:
    """The API's rows as they are held between preview and confirmation."""
    return json.dumps({"rows": rows, "source": source}, sort_keys=True).encode()


def _read(filename: str, content: bytes) -> tuple[Rows, str | None]:
    """The held upload's rows and the source each measurement will carry."""
    if filename == API_ROWS:
        try:
            data = json.loads(content)
            return list(enumerate(data["rows"], start=1)), data.get("source")
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError("the rows could not be read: send them again", field="rows") from exc
    return read_content(content, filename), f"uploaded as {filename}"


def hold_measurements(
    session: Session, actor: Actor, metric_key: str, filename: str, content: bytes
) -> MeasuresPreview:
    """Preview an upload and hold it until its editor confirms (only when it changes something);
    no measurement is written. The API's rows come as `api_content` under API_ROWS."""
    require_importer(actor)
    filename = filename[:300]  # as much of the name as is kept
    rows, source = _read(filename, content)
    _, preview = preview_rows(session, actor, metric_key, rows, filename, source)
    if not preview.differences.empty:
        held = uploads.hold(session, actor, KIND, metric_key, filename, content, preview.base)
        preview.token = held.token
    return preview


def confirm_measurements(
    session: Session, actor: Actor, metric_key: str, token: str, base: str | None = None
) -> MeasuresPreview:
    """Write the held upload's differences and forget it. `base` is the revision the person last
    saw differences against (that of the hold when not given): if the measures changed since,
    StalePreview carries the differences as they are now, and nothing is written. NotFound if
    the upload is not held for this person and metric (a preview is its maker's)."""
    require_importer(actor)
    upload = uploads.held(session, actor, token, KIND, metric_key)  # NotFound unless theirs
    rows, source = _read(upload.filename, upload.content)
    checked, preview = preview_rows(session, actor, metric_key, rows, upload.filename, source)
    preview.token = upload.token
    if preview.base != (base or upload.base):
        raise StalePreview(
            "the measurements changed since your preview, so nothing was saved: check the"
            " differences as they are now and confirm again",
            current_version=0,
            preview=preview,
        )
    if not preview.differences.empty:
        # What the person did leads the audit history's entry; the changes it made follow it.
        metric = checked.metric
        audit.record(
            session,
            actor,
            "upload_measurements",
            "metric",
            metric.id,
            None,
            {"name": metric.name, "file": upload.filename, "changes": preview.summary()},
        )
    write_rows(session, actor, checked)
    uploads.release(session, upload)
    preview.token = None
    return preview


# ---- the differences and the checks, in the measures' words


def _name(checked: CheckedRows, m: Measurement) -> tuple[str, str]:
    area = checked.areas[m.area_id]
    key = f"{area.gss_code} {m.period} {m.breakdown} {m.breakdown_value}"
    return key, measurement_name(area.name, m.period, m.breakdown, m.breakdown_value)


def measurement_differences(checked: CheckedRows) -> Differences:
    """The measurements an import adds and changes; none is ever removed by an import."""
    unit = checked.metric.unit
    before: dict[str, Record] = {}
    after: dict[str, Record] = {}
    for found, figures in checked.updates:
        key, name = _name(checked, found)
        was = {k: getattr(found, k) for k in (*COMPARED, "source")}
        before[key] = measurement_record(name, unit, was)
        after[key] = measurement_record(name, unit, {**was, **figures})
    for new in checked.adds:
        key, name = _name(checked, new)
        after[key] = measurement_record(
            name, unit, {k: getattr(new, k) for k in (*COMPARED, "source")}
        )
    return differences([compare(checked.metric.name, "measurement", before, after)])


def measurement_checks(checked: CheckedRows) -> list[str]:
    """What a person should know before confirming: small numbers the public will not see, rates
    from the area's population, figures kept as published."""
    figures = [{k: getattr(m, k) for k in COMPARED} for m in checked.adds] + [
        {**{k: getattr(m, k) for k in COMPARED}, **f} for m, f in checked.updates
    ]
    small = sum(1 for f in figures if is_small(f["numerator"]) or is_small(f["denominator"]))
    populated = sum(1 for f in figures if f["population_used"])
    published = sum(1 for f in figures if not f["recomputable"])
    out = []
    if small:
        out.append(
            f"{small} {plural('figure', small)} {'rests' if small == 1 else 'rest'} on fewer"
            " than 10 people or events: withheld from signed-out readers"
        )
    if populated:
        out.append(
            f"{populated} {plural('rate', populated)} worked out from the area's population aged"
            f" {checked.metric.population_age} and over, as no denominator was given"
        )
    if published:
        out.append(
            f"{published} {plural('figure', published)} kept as published: no counts to check"
            f" {'it' if published == 1 else 'them'} against"
        )
    if checked.too_few:
        out.append(
            f"No all-ages age-standardised rate for {', '.join(checked.too_few)}: fewer than 10"
            " events in all, too few for a reliable rate; the age bands are kept"
        )
    return out

"""The JSON twin of the need-index upload: preview an uploaded need index against an allocation
(each area's need and target share now and with it; nothing written, the file held for its
confirmation), then apply what was previewed, refused (409) when the allocation changed since.
The same services as the pages, so the same checks and refusals in the same words."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from placeplan.finance import service
from placeplan.finance.present.allocation_answers import AllocationOut, allocation_json
from placeplan.finance.service.allocation_edits import IndexPreview
from placeplan.io.xlsx_guard import MAX_FILE_BYTES
from placeplan.web.context import Who, api_write_allowed, db
from placeplan.web.forms import committed

router = APIRouter(prefix="/api/v1", tags=["finance"])


class IndexAreaOut(BaseModel):
    name: str
    need_index_now: str
    need_index_with_upload: str
    target_share_now: str = Field(description="0 to 1")
    target_share_with_upload: str = Field(description="0 to 1")


class IndexPreviewOut(BaseModel):
    """What the uploaded index would change; POST to `confirm_url` (no body) to apply it."""

    allocation_id: int
    allocation_version: int
    filename: str
    name: str
    weight: str
    source: str
    areas: list[IndexAreaOut]
    token: str
    confirm_url: str


def _preview_json(shown: IndexPreview) -> dict[str, Any]:
    after = {r.name: r for r in shown.after}
    record = shown.record
    return {
        "allocation_id": record.id,
        "allocation_version": record.version,
        "filename": shown.filename,
        "name": shown.name,
        "weight": str(shown.weight),
        "source": shown.source,
        "areas": [
            {
                "name": r.name,
                "need_index_now": f"{r.need:.6f}",
                "need_index_with_upload": f"{after[r.name].need:.6f}",
                "target_share_now": f"{r.target_share:.6f}",
                "target_share_with_upload": f"{after[r.name].target_share:.6f}",
            }
            for r in shown.before
        ],
        "token": shown.token,
        "confirm_url": f"/api/v1/finance/allocations/{record.id}/need-index/{shown.token}",
    }


@router.post("/finance/allocations/{allocation_id}/need-index", response_model=IndexPreviewOut)
def api_preview_need_index(
    allocation_id: int,
    index_file: Annotated[UploadFile | None, File(description="CSV: Area, Need index")] = None,
    index_name: Annotated[str, Form(description="The component's name")] = "",
    index_weight: Annotated[str, Form(description="Its weight, not negative")] = "",
    index_source: Annotated[str, Form(description="Where the index comes from")] = "",
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Read a need index (multipart field `index_file`: a CSV with the columns Area and Need
    index, one row an area of the allocation) and show each area's need and target share now
    and with it as a component of `index_weight`. The fields are the page's, so a refusal names
    the field sent; a bad file is refused naming its row and column; nothing of the allocation
    changes."""
    upload = index_file
    content = upload.file.read(MAX_FILE_BYTES + 1) if upload is not None else b""
    filename = (upload.filename if upload is not None else None) or ""
    fields = {"index_name": index_name, "index_weight": index_weight, "index_source": index_source}
    shown = service.preview_need_index(
        session, asker.actor, allocation_id, filename, content, fields
    )
    return committed(session, _preview_json(shown))


@router.post(
    "/finance/allocations/{allocation_id}/need-index/{index_token}",
    response_model=AllocationOut,
    responses={409: {"description": "The allocation changed since the preview: nothing written"}},
)
def api_apply_need_index(
    allocation_id: int,
    index_token: str,
    session: Session = Depends(db),
    asker: Who = Depends(api_write_allowed),
) -> dict[str, Any]:
    """Apply the need index previewed under `index_token`, unless the allocation changed since
    the preview (409: upload it again to see what it would change now)."""
    applied = committed(
        session, service.apply_need_index(session, asker.actor, allocation_id, index_token)
    )
    return allocation_json(service.allocated(applied))

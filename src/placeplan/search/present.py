"""Search results as the API gives them."""

from __future__ import annotations

from pydantic import BaseModel

from placeplan.search.domain import Group


class HitOut(BaseModel):
    kind: str
    id: int
    title: str
    detail: str | None
    url: str


class GroupOut(BaseModel):
    kind: str
    heading: str
    hits: list[HitOut]


class SearchOut(BaseModel):
    query: str
    total: int
    groups: list[GroupOut]


def search_out(query: str, groups: list[Group]) -> SearchOut:
    return SearchOut(
        query=query,
        total=sum(len(g.hits) for g in groups),
        groups=[
            GroupOut(
                kind=g.kind,
                heading=g.heading,
                hits=[
                    HitOut(kind=h.kind, id=h.record_id, title=h.title, detail=h.detail, url=h.url)
                    for h in g.hits
                ],
            )
            for g in groups
        ],
    )

"""Operations on a plan's narrative. Every write is audited in the caller's transaction.

blocks (the narrative's blocks, their versions, differences and review states), uec (the UEC
priorities and the schemes that support them), styles (organisations' Word templates), document
(the narrative plan as a document, and its Word file), capacity_plan (the capacity and demand
plan from a plan's capacity model), content (the narrative as part of what a plan holds).
"""

"""The headings of the national BCF narrative template, in the order seed 000 (Leicestershire's
2025-26 narrative plan) writes them, each with the length guidance placeplan warns past.

The template itself sets no word limits; the guidance here is placeplan's, sized so that the whole
narrative stays near the 15 or so pages a submitted plan runs to. Going past it is warned, never
refused: a plan may need the words."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Heading:
    key: str
    section: int
    title: str
    asks: str  # what the template asks the block to say, in placeplan's words
    words: int  # length guidance, in words
    fills: tuple[str, ...] = ()  # what the generated document adds from the record


SECTIONS: dict[int, str] = {
    1: "Section 1: Overview of the BCF plan",
    2: "Section 2: National Condition 2: implementing the objectives of the BCF",
    3: "Section 3: Local priorities and duties",
}

HEADINGS: tuple[Heading, ...] = (
    Heading(
        "overview",
        1,
        "Overview",
        "What the plan is for and who it covers, in a few lines.",
        250,
    ),
    Heading(
        "approach-governance",
        1,
        "Approach to developing the plan and joint system governance",
        "How partners shaped the plan, and the bodies that oversee its delivery.",
        600,
        ("bodies", "governance"),
    ),
    Heading(
        "priorities",
        1,
        "Priorities for the year",
        "The areas of work the plan puts first this year, with their timescales.",
        700,
    ),
    Heading(
        "key-changes",
        1,
        "Key changes since the previous plan",
        "What is different from last year's plan, and why.",
        500,
        ("key-changes",),
    ),
    Heading(
        "uec-flow",
        1,
        "Alignment with urgent and emergency care flow",
        "How the schemes support the system's urgent and emergency care priorities.",
        400,
        ("uec",),
    ),
    Heading(
        "intermediate-care",
        1,
        "Priorities for intermediate care and other short-term care",
        "What the plan develops in home-based and bedded intermediate care.",
        600,
    ),
    Heading(
        "challenges",
        1,
        "Challenges, risks, mitigations and timescales",
        "What could stop delivery, what is done about it, and when impact is expected.",
        500,
    ),
    Heading(
        "joint-approach",
        2,
        "A joint system approach that delivers value for money",
        "How partners meet the fund's objectives together, and where the money goes.",
        600,
        ("spend",),
    ),
    Heading(
        "metric-goals",
        2,
        "Goals for the three national metrics",
        "The ambitions for each national metric and what will move them.",
        400,
        ("ambitions",),
    ),
    Heading(
        "home-first",
        2,
        "A home first approach",
        "How people are helped to stay independent and spend less time in hospital or care.",
        500,
    ),
    Heading(
        "discharge-fund",
        2,
        "Spending after the discharge fund was consolidated",
        "Why any spending moved from discharge to admission avoidance improves flow.",
        400,
        ("discharge-shift",),
    ),
    Heading(
        "capacity-demand",
        2,
        "How the capacity and demand figures were derived",
        "How last year's actuals shaped this year's figures, and any shortfall's mitigation.",
        600,
        ("capacity",),
    ),
    Heading(
        "therapy",
        2,
        "Therapy capacity for rehabilitation and reablement",
        "How capacity plans provide for therapy.",
        300,
    ),
    Heading(
        "legal-duties",
        3,
        "Local priorities and legal duties",
        "How the equality, involvement, inequalities and carers duties were met.",
        600,
        ("equity",),
    ),
)

BY_KEY: dict[str, Heading] = {h.key: h for h in HEADINGS}

# Review states, in the order a block moves through them.
REVIEW_STATES: dict[str, str] = {
    "draft": "Draft",
    "ready": "Ready for review",
    "agreed": "Agreed",
}


def heading(key: str) -> Heading | None:
    return BY_KEY.get(key)


def words(text: str) -> int:
    return len(text.split())


def length_warning(key: str, text: str) -> str | None:
    """A warning (never a refusal) when a block runs past its heading's guidance."""
    h = BY_KEY[key]
    count = words(text)
    if count <= h.words:
        return None
    return (
        f"{h.title} is {count:,} words: the guidance is about {h.words:,}."
        " It is saved; consider shortening it."
    )

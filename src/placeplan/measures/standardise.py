"""Moved to `placeplan.measures.domain.standardise`; kept only while placeplan.pledges imports this path
(the lead switches pledges' import and deletes this module)."""

from placeplan.measures.domain.standardise import *  # noqa: F403

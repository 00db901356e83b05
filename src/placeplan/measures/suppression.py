"""Moved to `placeplan.measures.domain.suppression`; kept only while placeplan.pledges imports this path
(the lead switches pledges' import and deletes this module)."""

from placeplan.measures.domain.suppression import *  # noqa: F403

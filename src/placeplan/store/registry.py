"""Imports every model module so the metadata (and Alembic) sees every table."""

from placeplan.areas import models as _areas  # noqa: F401
from placeplan.assurance import models as _assurance  # noqa: F401
from placeplan.budget import models as _budget  # noqa: F401
from placeplan.capacity import models as _capacity  # noqa: F401
from placeplan.delivery import models as _delivery  # noqa: F401
from placeplan.finance import models as _finance  # noqa: F401
from placeplan.governance import models as _governance  # noqa: F401
from placeplan.measures import models as _measures  # noqa: F401
from placeplan.narrative import models as _narrative  # noqa: F401
from placeplan.organisations import models as _organisations  # noqa: F401
from placeplan.people import models as _people  # noqa: F401
from placeplan.plans import models as _plans  # noqa: F401
from placeplan.pledges import models as _pledges  # noqa: F401
from placeplan.returns import models as _returns  # noqa: F401
from placeplan.search import models as _search  # noqa: F401
from placeplan.sources import models as _sources  # noqa: F401
from placeplan.store import audit as _audit  # noqa: F401
from placeplan.store import uploads as _uploads  # noqa: F401
from placeplan.store.base import Base

metadata = Base.metadata

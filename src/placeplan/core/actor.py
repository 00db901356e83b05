"""Who is acting, and the one id that ties together every audit event of a single user action."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from placeplan.core.principal import Principal


def new_action_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Actor:
    """`principal` is the signed-in user; None with `trusted` for the operator's CLI and loaders."""

    name: str
    principal: Principal | None = None
    via: str = "web"  # web | api | cli | system
    trusted: bool = False
    action_id: str = field(default_factory=new_action_id)

    @property
    def user_id(self) -> int | None:
        return self.principal.user_id if self.principal else None


def operator(name: str = "cli", via: str = "cli") -> Actor:
    """The person at the server's command line, who owns the database and may do anything."""
    return Actor(name=name, via=via, trusted=True)


ANONYMOUS = Actor(name="anonymous")

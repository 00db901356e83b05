"""Settings read from the environment, with defaults that make the embedded demo work."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def default_var_dir() -> Path:
    return Path(os.environ.get("PLACEPLAN_VAR_DIR", PROJECT_ROOT / "var"))


def default_database_url() -> str:
    return os.environ.get(
        "PLACEPLAN_DATABASE_URL", f"sqlite:///{default_var_dir() / 'placeplan.sqlite3'}"
    )


@dataclass(frozen=True)
class Settings:
    database_url: str
    # Secure cookies are sent only over HTTPS; browsers treat http://127.0.0.1 and localhost as
    # secure contexts, so the demo keeps them on too. Switch off only for plain-HTTP test hosts.
    secure_cookies: bool = True
    session_hours: int = 12
    # How long the database may take before a request gives up with a 503 (seconds, but the
    # statement timeout in milliseconds): a frozen database must not hold requests and starve
    # the pool. PostgreSQL only; SQLite waits on its lock for its busy timeout.
    db_connect_timeout: int = 3
    db_pool_timeout: int = 3
    db_statement_timeout_ms: int = 30_000
    # Single sign-on (OpenID Connect, people/oidc.py): off unless an issuer is set. The domains
    # map each allowed e-mail domain to the key of the organisation its people belong to.
    oidc_issuer: str | None = None
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_domains: dict[str, str] = field(default_factory=dict)
    # Seconds of clock difference tolerated when checking an id token's expiry.
    oidc_leeway_seconds: int = 30
    password_sign_in: bool = True

    @property
    def single_sign_on(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id)

    def engine_options(self) -> dict[str, int]:
        """The timeouts as `store.db.make_engine` takes them."""
        return {
            "connect_timeout": self.db_connect_timeout,
            "pool_timeout": self.db_pool_timeout,
            "statement_timeout_ms": self.db_statement_timeout_ms,
        }

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=default_database_url(),
            secure_cookies=os.environ.get("PLACEPLAN_SECURE_COOKIES", "1") != "0",
            session_hours=int(os.environ.get("PLACEPLAN_SESSION_HOURS", "12")),
            db_connect_timeout=int(os.environ.get("PLACEPLAN_DB_CONNECT_TIMEOUT", "3")),
            db_pool_timeout=int(os.environ.get("PLACEPLAN_DB_POOL_TIMEOUT", "3")),
            db_statement_timeout_ms=int(
                os.environ.get("PLACEPLAN_DB_STATEMENT_TIMEOUT_MS", "30000")
            ),
            oidc_issuer=os.environ.get("PLACEPLAN_OIDC_ISSUER") or None,
            oidc_client_id=os.environ.get("PLACEPLAN_OIDC_CLIENT_ID", ""),
            oidc_client_secret=os.environ.get("PLACEPLAN_OIDC_CLIENT_SECRET", ""),
            oidc_domains=parse_domains(os.environ.get("PLACEPLAN_OIDC_DOMAINS", "")),
            oidc_leeway_seconds=int(os.environ.get("PLACEPLAN_OIDC_LEEWAY_SECONDS", "30")),
            password_sign_in=os.environ.get("PLACEPLAN_PASSWORD_SIGN_IN", "1") != "0",
        )


def parse_domains(text: str) -> dict[str, str]:
    """`nhs.net=llr-icb, leicspart.nhs.uk=lpt`: each e-mail domain and its organisation's key."""
    pairs = (item.split("=", 1) for item in text.split(",") if "=" in item)
    return {domain.strip().lower(): key.strip() for domain, key in pairs}

"""Settings read once from ``SALESBOARD_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "salesboard.db"


class Settings(BaseSettings):
    """Runtime configuration; every field can be set as ``SALESBOARD_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="SALESBOARD_", extra="ignore")

    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    # UI language used until the user picks one: "zh" or "en".
    default_language: str = "zh"
    # Which public-holiday calendar counts working days: "CN" (with 调休) or "plain" (Mon–Fri).
    calendar: str = "CN"
    currency: str = "CNY"
    # Time zone for showing audit times (stored in UTC) and for the audit page's date filter.
    timezone: str = "Asia/Shanghai"
    # Seconds SQLite waits for a competing writer before giving up.
    sqlite_busy_timeout_s: float = 30.0
    # Connections per app process: Streamlit serves every browser session from a thread of
    # one process, so the pool must cover the sessions that query at once (the concurrency
    # test runs 20 writers). Overflow connections close again when returned; on PostgreSQL
    # keep processes x (size + overflow) under the server's max_connections.
    db_pool_size: int = 10
    db_max_overflow: int = 30
    db_pool_timeout_s: float = 60.0
    # libpq options for every PostgreSQL connection (ignored for SQLite). JIT is off by
    # default: the dashboard's queries cost enough to trigger it but run in well under a
    # second, and compiling took 0.35 s of a 0.85 s query at 1M deals. Add planner settings
    # here (e.g. "-c random_page_cost=1.1" for SSDs) when the server's own can't be changed.
    postgres_options: str = "-c jit=off"
    # A fixed "today" for demos and tests (ISO date); empty means the real date.
    today: str = ""
    # Sign-in: a session ends after this many idle minutes, or this many hours in all.
    session_idle_minutes: int = 60
    session_max_hours: int = 12
    # This many wrong passwords in a row lock the account for lockout_minutes.
    lockout_threshold: int = 5
    lockout_minutes: int = 15
    password_min_length: int = 8
    # First-run admin: `init-db` creates user "admin" with this password if no admin exists.
    admin_password: str = ""
    # Mark the sign-in cookie Secure even when the app itself sees plain HTTP (TLS ends at a
    # proxy that does not send X-Forwarded-Proto). Over HTTPS it is always Secure.
    cookie_secure: bool = False
    # "password" (default): Salesboard's own sign-in form. "oidc": Streamlit's st.login() at
    # the company's identity provider ([auth] in .streamlit/secrets.toml); the verified e-mail
    # must belong to an active user.
    auth: str = "password"
    # OIDC: the provider name under [auth.<name>] in secrets.toml (empty: the single [auth]).
    oidc_provider: str = ""
    # OIDC: create unknown e-mails as users with this role ("rep" …); empty = never.
    oidc_auto_role: str = ""
    # Spreadsheet uploads larger than this many MB are refused (keep the Streamlit server's
    # server.maxUploadSize at least as large; `python -m salesboard.ui.serve` passes it on).
    max_upload_mb: int = 50
    # A deal (or collection) amount above this many currency units is refused on import as
    # implausible: 100 亿 by default. It also keeps every sum far inside 64-bit integers.
    max_deal_amount: int = 10_000_000_000
    # The inbound leads API (``python -m salesboard.inbound``): where it listens and the path
    # prefix a reverse proxy serves it under (issue 17).
    inbound_host: str = "127.0.0.1"
    inbound_port: int = 8600
    inbound_root_path: str = ""
    # Reminders (``python -m salesboard digest --send``): e-mail through this SMTP server to
    # each user's e-mail address; empty host: no e-mail.
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = ""
    smtp_starttls: bool = True
    # ... and/or a group chat bot: its webhook URL and format ("wecom", "dingtalk" or
    # "feishu"); the secret signs DingTalk and Feishu messages when the bot asks for it.
    webhook_url: str = ""
    webhook_format: str = "wecom"
    webhook_secret: str = ""
    # The app's address, for the link in each digest (e.g. https://sales.example.com).
    app_url: str = ""
    # Files attached to deals (deliverables): refused above this many MB (keep the Streamlit
    # server's server.maxUploadSize at least as large).
    attachment_max_mb: int = 20
    # Where attachment files live, named by their SHA-256. Empty: beside a SQLite store as
    # "<store name>-attachments/" (data/salesboard-attachments/ for the default store), and
    # data/attachments/ for PostgreSQL — set it to a volume every app server shares.
    attachments_dir: str = ""


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (cached; call ``get_settings.cache_clear()`` in tests)."""
    return Settings()

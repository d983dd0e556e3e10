"""Settings, read from ``SOHOA_*`` environment variables (or a ``.env`` file).

Embedded defaults need no set-up: a SQLite file and a ``LocalStore`` under the data folder, and
a private ``redis-server`` on a Unix socket there. Production sets a PostgreSQL URL, an S3
endpoint and a Redis URL instead.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MEBIBYTE = 1024 * 1024


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOHOA_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="folder for embedded defaults")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: SQLite file data_dir/sohoa.db"
    )
    redis_url: str | None = Field(
        default=None, description="default: a private redis-server on data_dir/redis.sock"
    )
    queue_prefix: str = Field(default="", description="prefix of rq queue names, to share a Redis")

    s3_endpoint: str | None = Field(default=None, description="host:port; unset: LocalStore")
    s3_access_key: str = ""
    s3_secret_key: SecretStr = SecretStr("")
    s3_bucket: str = "sohoa"
    s3_secure: bool = False
    s3_region: str | None = None

    ocr_languages: str = Field(
        default="vie",
        description="tesseract languages; vie alone reads Vietnamese capitals' accents that "
        "vie+eng drops (CER 0.17% against 0.59% on clean generated pages)",
    )
    ocr_engine: Literal["api", "cli"] | None = Field(
        default=None,
        description="tesseract through tesserocr (api) or its program (cli); "
        "unset: api when tesserocr is installed",
    )
    rasterize_dpi: int = Field(default=300, description="dots per inch for PDF pages")
    max_upload_bytes: int = Field(default=200 * MEBIBYTE, description="bytes per file")
    max_request_bytes: int = Field(
        default=1024 * MEBIBYTE, description="bytes per request (an upload of several files)"
    )
    max_pages: int = Field(default=2000, description="pages per document")
    max_image_pixels: int = Field(default=200_000_000, description="pixels per page image")
    parse_memory_mib: int = Field(
        default=2048,
        description="MiB of address space the child process reading an upload may use (the "
        "largest page allowed, 200 megapixels, takes 200 MiB grey and 600 MiB in colour)",
    )
    parse_seconds: float = Field(
        default=60,
        description="seconds the child reading an upload may take to inspect it, or to draw "
        "one page, before it is killed and the document fails with parse_timeout",
    )
    max_frames: int = Field(
        default=1000,
        description="frames (pages) per TIFF file; beyond it the file fails with too_many_frames",
    )
    ocr_page_seconds: int = Field(
        default=300, description="seconds tesseract may take to recognise one page"
    )
    osd_seconds: int = Field(
        default=30,
        description="seconds tesseract may take to find which way up a page is (about 0.5 s)",
    )
    job_timeout_seconds: int = Field(default=600, description="rq job timeout, per job")
    job_retries: int = Field(default=3, description="retries of a job on a retryable error")
    job_retry_seconds: list[int] = Field(
        default=[5, 30, 120],
        description="seconds before each retry (the last repeats); a part that stays away "
        "longer than their sum fails the job",
    )
    worker_nice: int = Field(
        default=10,
        ge=0,
        le=19,
        description="how far below the API's the workers' CPU priority is (nice): where both "
        "want the cores, a page waits a moment and a processing system's look-up does not",
    )
    worker_alive_seconds: int = Field(
        default=30,
        description="a worker killed mid-job is known dead this long after its last heartbeat",
    )
    stale_after_seconds: int = Field(
        default=900, description="reconciler: re-enqueue work not advanced for this long"
    )
    max_redeliveries: int = Field(
        default=3, description="reconciler: re-enqueues of one document before it is failed"
    )
    review_lease_seconds: int = Field(
        default=300,
        description="how long an operator holds a review task claimed; renewed while working",
    )
    sign_in_hours: float = Field(
        default=10, gt=0, description="how long a browser stays signed in: about a work shift"
    )
    failed_keys_per_address: int = Field(
        default=20,
        ge=1,
        description="distinct keys sohoa did not issue one client address may present (as a "
        "bearer key or at sign-in) within failed_keys_window_seconds before its key checks are "
        "refused (429) for the rest of the window",
    )
    failed_keys_window_seconds: int = Field(
        default=900, ge=1, description="the window over which an address's failed keys count"
    )
    events_stream_seconds: float = Field(
        default=300,
        gt=0,
        description="how long one GET /v1/events stream lasts before the client reconnects "
        "(with Last-Event-ID), its key checked again",
    )
    webhook_timeout_seconds: float = Field(
        default=10, gt=0, le=120, description="how long a webhook receiver has to answer"
    )
    webhook_retry_hours: float = Field(
        default=24,
        gt=0,
        description="how long a delivery is tried again (30 s, doubling, at most an hour apart) "
        "before it is failed; a failed one can be sent again through the API",
    )
    events_retention_days: int = Field(
        default=30,
        ge=2,
        le=3650,
        description="days status events (GET /v1/events, webhooks) are kept; longer than a "
        "webhook delivery is retried",
    )
    webhook_hosts: str = Field(
        default="",
        description="comma-separated hosts webhooks may point at (a leading dot admits a "
        "domain's subdomains: .tinh.gov.vn); empty: any",
    )
    webhook_concurrency: int = Field(default=4, ge=1, le=64, description="deliveries sent at once")
    webhook_batch: int = Field(
        default=100, ge=1, le=10_000, description="deliveries one dispatcher pass takes"
    )
    database_pool_size: int = Field(
        default=10, ge=1, le=200, description="PostgreSQL connections one process keeps open"
    )
    database_pool_overflow: int = Field(
        default=10, ge=0, le=200, description="connections opened beyond the pool under load"
    )
    database_pool_timeout_seconds: float = Field(
        default=5,
        gt=0,
        le=120,
        description="how long a request waits for a free connection before a 503",
    )
    signing_pkcs12: Path | None = Field(
        default=None,
        description="PKCS#12 file (.p12, .pfx) of the agency's signing certificate, its key "
        "and its chain; unset (and no PEM pair): documents are not signed",
    )
    signing_pkcs12_password: SecretStr = SecretStr("")
    signing_certificate: Path | None = Field(
        default=None,
        description="PEM certificate of the agency, with signing_key instead of a PKCS#12 file",
    )
    signing_key: Path | None = Field(default=None, description="PEM private key of the agency")
    signing_key_password: SecretStr = SecretStr("")
    signing_chain: Path | None = Field(
        default=None, description="PEM file of the certificates between the agency's and a root"
    )
    signing_trust_roots: Path | None = Field(
        default=None,
        description="PEM file of the roots a copy's signer must chain to; unset: the top of "
        "the agency's chain (its own certificate when it has none)",
    )
    signing_location: str = Field(
        default="Việt Nam", description="where the copies are signed, as the signature says"
    )
    signing_timestamp_url: str | None = Field(
        default=None, description="RFC 3161 timestamp authority; unset: the signer's clock"
    )
    local_timezone: str = Field(
        default="Asia/Ho_Chi_Minh",
        description="the desks' time zone (IANA name): where an operator's day starts",
    )

    @model_validator(mode="after")
    def _events_outlive_their_retries(self) -> Settings:
        if self.events_retention_days * 24 <= self.webhook_retry_hours:
            raise ValueError(
                f"SOHOA_EVENTS_RETENTION_DAYS ({self.events_retention_days}) must keep events "
                f"longer than SOHOA_WEBHOOK_RETRY_HOURS ({self.webhook_retry_hours:g} h) tries "
                "to deliver them"
            )
        return self

    @field_validator("local_timezone")
    @classmethod
    def _known_timezone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {name!r}: give an IANA name") from error
        return name

    @model_validator(mode="after")
    def _one_signing_key(self) -> Settings:
        pair = (self.signing_certificate, self.signing_key)
        if self.signing_pkcs12 is not None and any(pair):
            raise ValueError("give signing_pkcs12 or signing_certificate and signing_key, not both")
        if any(pair) and not all(pair):
            raise ValueError("signing_certificate and signing_key go together: give both")
        return self

    @property
    def signing_configured(self) -> bool:
        return self.signing_pkcs12 is not None or self.signing_key is not None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.local_timezone)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'sohoa.db').resolve()}"

    @property
    def objects_dir(self) -> Path:
        return self.data_dir / "objects"

    @property
    def redis_socket(self) -> Path:
        return self.data_dir / "redis.sock"


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once; tests build their own ``Settings`` instead."""
    return Settings()

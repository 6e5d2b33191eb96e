"""Settings, read once at the entry point and passed down (no global settings object)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
    YamlConfigSettingsSource,
)

CONFIG_ENV = "VIDGATE_CONFIG"
DEFAULT_CONFIG_FILES = ("vidgate.yaml", "vidgate.yml", "vidgate.toml")


class RenderSettings(BaseModel):
    """The embedded `local` renderer."""

    concurrency: int = Field(default=1, ge=1, le=16)
    fps: int = Field(default=24, ge=1, le=60)
    preset: str = "ultrafast"
    max_pixels: int = Field(default=1920 * 1080, ge=64 * 64)


class ProviderSettings(BaseModel):
    """One upstream provider. A provider without credentials is not offered."""

    api_key: SecretStr | None = None
    base_url: str | None = None
    api_version: str | None = None  # azure
    project: str | None = None  # vertex
    location: str | None = None  # vertex
    storage_base_url: str | None = None  # vertex: GCS JSON API; bedrock: the S3 endpoint of its outputs
    access_key_id: str | None = None  # kling: the access key of its JWTs; bedrock: the AWS access key id
    secret_key: SecretStr | None = None  # kling: the JWT signing secret; bedrock: the AWS secret access key
    region: str | None = None  # bedrock: the AWS region
    output_uri: str | None = None  # bedrock: s3://bucket/prefix where async invocations write videos
    timeout_seconds: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=3, ge=0, le=10)
    max_retry_wait_seconds: float = Field(default=30.0, ge=0)
    poll_interval_seconds: float = Field(default=5.0, gt=0)
    max_concurrency: int = Field(
        default=64,
        ge=1,
        le=1024,
        description="Jobs of this provider the worker polls or downloads at once. A poll is one small "
        "GET: many at once keep every job polled on time when the event loop is busy serving clients.",
    )
    http2: bool = False


class WebhookSettings(BaseModel):
    """Where a tenant's job events go, and the Standard Webhooks secret that signs them."""

    url: str
    secret: SecretStr = Field(description="whsec_<base64>, as Standard Webhooks libraries expect")


class S3Settings(BaseModel):
    """An S3-compatible bucket for assets (AWS S3, MinIO, R2, ...)."""

    bucket: str = "vidgate"
    prefix: str = ""
    endpoint: str | None = None
    region: str = "us-east-1"
    access_key_id: str | None = None
    secret_access_key: SecretStr | None = None
    allow_http: bool = False


class TelemetrySettings(BaseModel):
    """Traces (OpenTelemetry): off unless `tracing` is true or an OTLP endpoint is set."""

    tracing: bool = Field(default=False, description="Export OpenTelemetry traces (OTLP over HTTP).")
    otlp_endpoint: str | None = Field(
        default=None,
        description="The OTLP/HTTP collector's base URL (e.g. http://otel-collector:4318); setting it turns "
        "tracing on. Default: OTEL_EXPORTER_OTLP_ENDPOINT, else http://localhost:4318.",
    )
    service_name: str | None = Field(
        default=None, description="The traces' service.name; default: OTEL_SERVICE_NAME, else vidgate."
    )

    @property
    def enabled(self) -> bool:
        return self.tracing or bool(self.otlp_endpoint)


class Settings(BaseSettings):
    """Everything configurable. Env: `VIDGATE_<NAME>`, nested with `__`; file: `VIDGATE_CONFIG`."""

    model_config = SettingsConfigDict(
        env_prefix="VIDGATE_",
        env_nested_delimiter="__",
        extra="ignore",
    )

    api_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated API keys; each is its own tenant.",
    )
    admin_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated admin keys for the admin API (x-admin-key); none: the admin API "
        "refuses everyone (a development key is made when no key of either kind is configured).",
    )
    tenants: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Named tenants and their keys (config file): {tenant: [key, ...]}.",
    )
    data_dir: Path = Path("./data")
    database_url: str | None = None
    role: Literal["all", "api", "worker"] = Field(
        default="all",
        description="What `vidgate serve` runs: `all` (HTTP, and the job worker on its own thread), "
        "`api` (HTTP only) or `worker` (jobs only). Anything but one `all` process needs PostgreSQL.",
    )
    workers: int | None = Field(
        default=None,
        ge=1,
        le=256,
        description="Processes of the role on this host; default: the cores with PostgreSQL, 1 with SQLite.",
    )
    hang_seconds: float = Field(
        default=60.0,
        ge=1.0,
        description="With several processes: one whose event loop stands still this long is killed and "
        "started again.",
    )
    max_body_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    max_header_bytes: int = Field(default=32 * 1024, ge=1024)
    body_timeout_seconds: float = Field(default=30.0, gt=0, description="Slow request bodies get 408.")
    max_in_flight_requests: int = Field(
        default=64, ge=1, description="Requests served at once; more wait their turn (FIFO)."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Origins allowed by CORS (comma-separated); none by default."
    )
    retention_seconds: int = Field(default=24 * 3600, ge=1)
    max_active_jobs_per_tenant: int = Field(default=200, ge=1)
    rate_limit_per_minute: int = Field(
        default=0,
        ge=0,
        description="Requests per minute per API key (0: unlimited); stored keys may set their own.",
    )
    lease_seconds: float = Field(default=15.0, gt=0.5)
    poll_interval_seconds: float = Field(default=0.2, gt=0)
    idle_poll_max_seconds: float | None = Field(
        default=None,
        gt=0,
        description="A worker that keeps finding no work doubles its wait between looks up to this "
        "(default: 5 x poll_interval_seconds); a new job, a finished step or a step coming due wakes it "
        "at once.",
    )
    log_level: str = "info"
    log_json: bool = True
    access_log: bool = Field(
        default=True, description="One JSON line per request (request id, route, status, ms)."
    )
    public_base_url: str | None = Field(
        default=None, description="Base URL for links in responses; default: from the request."
    )
    library_tuning: bool = Field(
        default=True,
        description="Connexion's per-request work cached, SQLite called on the event loop, job lookups and "
        "the hot writes beside the engine (see connexion_tuning, store/inline_sqlite, store/point_reads, "
        "store/direct_writes); false runs the libraries as they ship, e.g. to rule the tuning out when "
        "diagnosing.",
    )
    shortcuts: bool = Field(
        default=True,
        description="Answer the operations the spec marks `x-vidgate-shortcut` (job lookups, JSON "
        "creates) beside Connexion's layers, from the same spec (see http/shortcut); false sends every "
        "request through Connexion.",
    )
    validate_responses: bool = Field(
        default=False, description="Check every response against the spec (tests; slower)."
    )
    render: RenderSettings = Field(default_factory=RenderSettings)
    telemetry: TelemetrySettings = Field(default_factory=TelemetrySettings)
    providers: dict[str, ProviderSettings] = Field(
        default_factory=dict,
        description="Upstream providers by name: VIDGATE_PROVIDERS__OPENAI__API_KEY, ...__BASE_URL.",
    )
    allow_private_urls: bool = Field(
        default=False,
        description="Let callers' URLs (input_reference, video_uri) reach private/loopback hosts (tests).",
    )
    allowed_private_networks: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Private networks (CIDR, comma-separated) callers' URLs may reach, e.g. an internal "
        "image host; everything else private, loopback or link-local stays refused.",
    )
    model_aliases: dict[str, str] = Field(
        default_factory=lambda: {"sora-2": "openai/sora-2", "sora-2-pro": "openai/sora-2-pro"},
        description="Models named without a provider (OpenAI SDKs send `sora-2`) -> provider/model.",
    )
    default_model: str = Field(
        default="local/default",
        description="The model of a request that names none (the OpenAI SDK omits it unless set).",
    )
    catalog: dict[str, Any] = Field(
        default_factory=dict,
        description="Model catalog entries merged over the built-in one, field by field (config file): "
        "{provider: {models: {model: {price: ..., seconds: ..., retires_on: ...}}}}.",
    )
    webhooks: dict[str, WebhookSettings] = Field(
        default_factory=dict, description="Per tenant: video.completed / video.failed events to a URL."
    )
    asset_store: Literal["local", "s3"] = Field(
        default="local", description="Where assets live: `local` (data dir) or `s3` (shared by instances)."
    )
    s3: S3Settings = Field(default_factory=S3Settings)
    sweep_interval_seconds: float = Field(
        default=60.0, gt=0, description="How often expired assets are removed."
    )
    idempotency_ttl_seconds: int = Field(default=24 * 3600, ge=60)
    job_deadline_seconds: int = Field(default=3 * 3600, ge=1, description="Upstream jobs fail after this.")
    submit_timeout_seconds: float = Field(default=120.0, gt=1)

    @field_validator("api_keys", "admin_keys", "cors_origins", "allowed_private_networks", mode="before")
    @classmethod
    def _split_keys(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [k.strip() for k in value.split(",") if k.strip()]
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'vidgate.db').resolve()}"

    @property
    def assets_dir(self) -> Path:
        return self.data_dir / "assets"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = config_file_path()
        if path is not None:
            if path.suffix == ".toml":
                sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
            else:
                sources.append(YamlConfigSettingsSource(settings_cls, yaml_file=path))
        return tuple(sources)


def config_file_path() -> Path | None:
    """The config file: `VIDGATE_CONFIG` if set (it must exist), else `vidgate.{yaml,toml}` here."""
    named = os.environ.get(CONFIG_ENV)
    if named:
        path = Path(named)
        if not path.is_file():
            raise FileNotFoundError(f"{CONFIG_ENV}={named} does not name a readable file")
        return path
    for name in DEFAULT_CONFIG_FILES:
        if Path(name).is_file():
            return Path(name)
    return None

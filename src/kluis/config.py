"""Settings: read once from the environment (`KLUIS_*`), a `.env` file and `kluis.toml`.

Build them with `load_settings()` at an edge (the CLI, the web app factory, a test) and pass
them down; nothing deeper reads the environment.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kluis"


class Settings(BaseSettings):
    """Everything Kluis can be configured with. Defaults run the embedded demo."""

    model_config = SettingsConfigDict(
        env_prefix="KLUIS_",
        env_file=".env",
        env_file_encoding="utf-8",
        toml_file="kluis.toml",
        extra="ignore",
    )

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = None
    public_url: str = "http://127.0.0.1:8080"

    # The bank Kluis reads. By default: the sandbox bank on loopback.
    bank_url: str = "http://127.0.0.1:8090"
    bank_name: str = "Kluis Sandbox Bank"
    # When the bank is the sandbox at its usual address and no sandbox server is running,
    # run the sandbox inside the process instead: everything works with nothing started.
    embedded_sandbox: bool = True
    sandbox_seed: int = 20260318
    sandbox_host: str = "127.0.0.1"
    sandbox_port: int = 8090
    # What "today" is: the sandbox bank's clock (the embedded default, so that answers and
    # the sandbox's truth agree) or the system's date (a real bank).
    clock: Literal["sandbox", "system"] = "sandbox"

    # Reading the bank.
    bank_timeout_seconds: float = 10.0
    bank_retries: int = 3
    bank_backoff_seconds: float = 0.2
    circuit_failure_threshold: int = 5
    circuit_reset_seconds: float = 30.0
    unattended_reads_per_day: int = 4
    sync_page_size: int = 200

    # The consent lifecycle (`kluis consent maintain`).
    # Remind a customer on their channel this many days before their consent ends.
    consent_reminder_days: int = 14
    # Delete data read under an ended consent (or of an account the customer stopped
    # sharing) this many days after; until then a customer who changes their mind loses nothing.
    revoked_data_retention_days: int = 7

    # Channels. A channel is on when its secrets are set (see `channel_enabled`); each
    # platform's API base is a setting so that tests can point it at a local stand-in.
    messenger_app_secret: SecretStr | None = None
    messenger_verify_token: SecretStr | None = None
    messenger_page_token: SecretStr | None = None
    messenger_api_base: str = "https://graph.facebook.com/v23.0"
    # The app that takes a conversation over when the customer wants a person (Meta's
    # Page Inbox by default), and the approved utility template for messages Kluis starts
    # outside the 24-hour window.
    messenger_handover_app_id: str = "263902037430900"
    messenger_utility_template: str = "kluis_notice"
    whatsapp_app_secret: SecretStr | None = None
    whatsapp_verify_token: SecretStr | None = None
    whatsapp_token: SecretStr | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_api_base: str = "https://graph.facebook.com/v23.0"
    whatsapp_utility_template: str = "kluis_notice"
    telegram_bot_token: SecretStr | None = None
    telegram_secret_token: SecretStr | None = None
    telegram_api_base: str = "https://api.telegram.org"
    telegram_bot_username: str | None = None
    alexa_skill_id: str | None = None
    alexa_trusted_cert_url_prefix: str = "https://s3.amazonaws.com/echo.api/"
    alexa_ca_bundle: Path | None = None
    alexa_timestamp_tolerance_seconds: int = 150
    # Alexa account linking: Kluis is the OAuth 2.0 authorisation server the skill links to.
    alexa_client_id: str | None = None
    alexa_client_secret: SecretStr | None = None
    alexa_redirect_uris: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: [
            "https://pitangui.amazon.com/api/skill/link/",
            "https://layla.amazon.com/api/skill/link/",
            "https://alexa.amazon.co.jp/api/skill/link/",
        ]
    )
    dialogflow_username: SecretStr | None = None
    dialogflow_password: SecretStr | None = None
    # Answering a Dialogflow fulfilment request must finish within its webhook timeout
    # (5 s by default); Kluis answers within this budget or says it needs a moment.
    dialogflow_answer_seconds: float = 4.0
    # Whether `kluis serve` answers webhook events itself; switch it off when the answering
    # runs as processes of its own (`kluis channels work`).
    channel_worker: bool = True
    # Sending to platforms: attempts on 429 and 5xx, the first backoff (doubling), timeout.
    channel_send_attempts: int = 4
    channel_backoff_seconds: float = 0.5
    channel_timeout_seconds: float = 10.0
    # The record of each send (kind, sent or failed; never the text) is kept this long.
    channel_delivery_retention_days: int = 90
    # The key platform user ids are looked up by (base64url, 32 bytes). Empty: a key file in
    # the data directory, created on first use; gateways that share a database must share it.
    lookup_key: SecretStr | None = None
    # Webhook bodies larger than this are refused (413) before anything is read into memory.
    webhook_max_body_bytes: int = 256 * 1024
    # Processed webhook events are kept (without their content) this long to recognise
    # a platform's retried deliveries.
    webhook_dedupe_days: int = 7

    # Alerts. A payment whose fraud score reaches this asks the customer "was this you?";
    # chosen on the replay for an alert budget (see docs/fraud.md).
    fraud_alert_threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    # How long a fraud alert waits for the customer's answer.
    fraud_answer_hours: int = 72
    # The gateway syncs every linked customer this often (seconds) and gives the alerts
    # that result; 0: only when `kluis sync` runs. PSD2 allows four unattended reads a day
    # per consent, which the read budget keeps to whatever this says.
    sync_interval_seconds: float = 0.0

    # Sealing secrets at rest: base64url AES-256 keys, newest first. Empty: a key file in
    # the data directory is created on first use.
    seal_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator("seal_keys", "alexa_redirect_uris", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    def channel_enabled(self, channel: str) -> bool:
        """Whether a platform channel is configured: its secrets are set."""
        required: dict[str, tuple[object, ...]] = {
            "messenger": (self.messenger_app_secret, self.messenger_page_token),
            "whatsapp": (
                self.whatsapp_app_secret,
                self.whatsapp_token,
                self.whatsapp_phone_number_id,
            ),
            "telegram": (self.telegram_bot_token, self.telegram_secret_token),
            "alexa": (self.alexa_skill_id,),
            "dialogflow": (self.dialogflow_username, self.dialogflow_password),
        }
        values = required.get(channel)
        return values is not None and all(_is_set(value) for value in values)

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or SQLite in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'kluis.db'}"

    @property
    def sandbox_dir(self) -> Path:
        """Where the sandbox bank keeps its clock and its consents."""
        return self.data_dir / "sandbox"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            dotenv_settings,
            TomlConfigSettingsSource(settings_cls),
            file_secret_settings,
        )


def _is_set(value: object) -> bool:
    if isinstance(value, SecretStr):
        return bool(value.get_secret_value())
    return bool(value)


def secret(value: SecretStr | None) -> str:
    """A secret setting's value ('' when it is not set)."""
    return value.get_secret_value() if value is not None else ""


def load_settings(**overrides: object) -> Settings:
    """Read the settings once; keyword overrides win over every source."""
    return Settings(**overrides)  # type: ignore[arg-type]

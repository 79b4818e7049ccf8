"""Settings: read once from the environment (`KLUIS_*`), a `.env` file and `kluis.toml`.

Build them with `load_settings()` at an edge (the CLI, the web app factory, a test) and pass
them down; nothing deeper reads the environment.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
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

    # Sealing secrets at rest: base64url AES-256 keys, newest first. Empty: a key file in
    # the data directory is created on first use.
    seal_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator("seal_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

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


def load_settings(**overrides: object) -> Settings:
    """Read the settings once; keyword overrides win over every source."""
    return Settings(**overrides)  # type: ignore[arg-type]

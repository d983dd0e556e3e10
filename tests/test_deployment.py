"""docker-compose.yml cannot run here (no Docker engine); check that it says what the code reads."""

from __future__ import annotations

from pathlib import Path

import yaml

from models.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def load_compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_names_the_production_services() -> None:
    services = load_compose()["services"]
    assert {"postgres", "redis", "minio", "api", "worker", "reconciler"} <= set(services)
    for name in ("postgres", "redis", "minio", "api"):
        assert "healthcheck" in services[name], name


def test_compose_environment_is_what_the_settings_read() -> None:
    services = load_compose()["services"]
    known = {f"SOHOA_{name.upper()}" for name in Settings.model_fields}
    for name in ("api", "worker", "reconciler"):
        environment = services[name]["environment"]
        sohoa_keys = {key for key in environment if key.startswith("SOHOA_")}
        assert sohoa_keys <= known, sohoa_keys - known
        assert {"SOHOA_DATABASE_URL", "SOHOA_REDIS_URL", "SOHOA_S3_ENDPOINT"} <= sohoa_keys


def test_worker_commands_are_cli_commands() -> None:
    services = load_compose()["services"]
    assert services["worker"]["command"][:2] == ["sohoa", "worker"]
    assert services["api"]["command"][:2] == ["sohoa", "serve"]


def test_every_service_restarts_and_runs_a_pinned_image() -> None:
    services = load_compose()["services"]
    for name, service in services.items():
        assert service.get("restart") == "unless-stopped", name
        image = service.get("image")
        assert image is None or (":" in image and not image.endswith(":latest")), name


def test_redis_asks_a_password_and_sohoa_gives_it() -> None:
    services = load_compose()["services"]
    assert "--requirepass" in services["redis"]["command"]
    assert services["api"]["environment"]["SOHOA_REDIS_URL"].startswith("redis://:${REDIS_PASSWORD")

"""docker-compose.yml, the Dockerfile and the ops files: valid, and shaped as production needs."""

import json
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from referencing import Registry, Resource
from ruamel.yaml import YAML

from tests.deploy.catalogue import ROOT

COMPOSE = ROOT / "docker-compose.yml"
OPS = ROOT / "ops"
STAGES = ("normalize", "enrich", "sink", "merge")
SECRETS = ("REDIS_PASSWORD", "POSTGRES_PASSWORD")


def _load_yaml(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def _refuse(uri: str) -> Resource[Any]:
    msg = f"the compose schema refers to {uri}: nothing is fetched in tests"
    raise LookupError(msg)


def _compose_validator() -> Any:
    """A validator for the Compose Specification schema vendored by check-jsonschema (no network)."""
    schema_file = files("check_jsonschema.builtin_schemas.vendor").joinpath("compose-spec.json")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["title"] == "Compose Specification"
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, registry=Registry(retrieve=_refuse))  # type: ignore[call-arg]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    """docker-compose.yml as loaded, before variable interpolation."""
    loaded: dict[str, Any] = _load_yaml(COMPOSE)
    return loaded


def test_compose_file_validates_against_the_compose_specification(compose: dict[str, Any]) -> None:
    validator = _compose_validator()
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(compose)]
    assert errors == []
    with pytest.raises(ValidationError):
        validator.validate({**compose, "servics": {}})
    with pytest.raises(ValidationError):
        validator.validate({"services": {"sink": {"depends_on": {"redis": {"condition": "service_ready"}}}}})


def test_redis_keeps_an_append_only_file_requires_a_password_and_has_a_healthcheck(compose: dict[str, Any]) -> None:
    redis = compose["services"]["redis"]
    assert redis["image"].startswith("redis:7")
    command = redis["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    assert command[command.index("--appendfsync") + 1] == "everysec"
    assert command[command.index("--requirepass") + 1] == "${REDIS_PASSWORD:?set REDIS_PASSWORD}"
    assert "ping" in " ".join(redis["healthcheck"]["test"])
    assert redis["environment"]["REDISCLI_AUTH"].startswith("${REDIS_PASSWORD:?")
    volume = redis["volumes"][0].split(":")
    assert volume[0] in compose["volumes"]
    assert volume[1] == "/data"


def test_postgres_has_a_healthcheck_and_a_named_volume(compose: dict[str, Any]) -> None:
    postgres = compose["services"]["postgres"]
    assert postgres["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert postgres["environment"]["POSTGRES_PASSWORD"] == "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
    assert postgres["volumes"][0].split(":")[0] in compose["volumes"]


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_runs_the_image_on_redis_and_postgres_once_they_are_healthy(
    compose: dict[str, Any], stage: str
) -> None:
    service = compose["services"][stage]
    assert service["build"] == "."
    assert service["image"] == compose["services"]["normalize"]["image"]
    assert service["command"] == ["run", "--stage", stage]
    assert service["depends_on"] == {
        "redis": {"condition": "service_healthy"},
        "postgres": {"condition": "service_healthy"},
    }
    assert re.fullmatch(r"\d+s", service["stop_grace_period"])
    env = service["environment"]
    assert env["MEETWIRE_REDIS_URL"] == "redis://:${REDIS_PASSWORD:?set REDIS_PASSWORD}@redis:6379/0"
    assert env["MEETWIRE_DATABASE_URL"] == (
        "postgresql://meetwire:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}@postgres:5432/meetwire"
    )
    assert env["MEETWIRE_LOG_JSON"] == "true"
    assert "profiles" not in service


def test_enrich_runs_two_replicas(compose: dict[str, Any]) -> None:
    assert compose["services"]["enrich"]["deploy"]["replicas"] == 2


def test_every_use_of_a_secret_requires_it_to_be_set() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    for name in SECRETS:
        uses = re.findall(r"\$\{" + name + r"[^}]*\}", text)
        assert uses, name
        assert all(re.fullmatch(r"\$\{" + name + r":\?[^}]+\}", use) for use in uses), uses
        assert re.search(r"\$" + name + r"\b", text) is None


def test_ops_services_are_in_the_ops_profile_and_mount_committed_files(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in ("loki", "alloy", "grafana"):
        assert services[name]["profiles"] == ["ops"]
        for volume in services[name].get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), source


def test_ops_yaml_and_json_files_parse() -> None:
    found = sorted(p for p in OPS.rglob("*") if p.suffix in {".yaml", ".yml", ".json"})
    assert {p.relative_to(OPS).as_posix() for p in found} >= {
        "loki/config.yaml",
        "grafana/provisioning/datasources/loki.yaml",
        "grafana/provisioning/dashboards/meetwire.yaml",
        "grafana/dashboards/meetwire.json",
    }
    for path in found:
        loaded = json.loads(path.read_text(encoding="utf-8")) if path.suffix == ".json" else _load_yaml(path)
        assert isinstance(loaded, dict), path


def test_grafana_loki_and_alloy_agree_on_addresses_labels_and_paths(compose: dict[str, Any]) -> None:
    datasource = _load_yaml(OPS / "grafana/provisioning/datasources/loki.yaml")["datasources"][0]
    loki = _load_yaml(OPS / "loki/config.yaml")
    assert datasource["url"] == f"http://loki:{loki['server']['http_listen_port']}"
    dashboard = json.loads((OPS / "grafana/dashboards/meetwire.json").read_text(encoding="utf-8"))
    targets = [t for panel in dashboard["panels"] for t in panel["targets"]]
    assert {t["datasource"]["uid"] for t in targets} == {datasource["uid"]}
    provider = _load_yaml(OPS / "grafana/provisioning/dashboards/meetwire.yaml")["providers"][0]
    mounts = dict(v.split(":")[:2] for v in compose["services"]["grafana"]["volumes"])
    assert mounts["./ops/grafana/dashboards"] == provider["options"]["path"]
    alloy = (OPS / "alloy/config.alloy").read_text(encoding="utf-8")
    assert alloy.count("{") == alloy.count("}")
    assert f"{datasource['url']}/loki/api/v1/push" in alloy
    label = next(iter(compose["services"]["sink"]["labels"].items()))
    assert f'"{label[0]}={label[1]}"' in alloy


def test_dockerfile_builds_in_a_builder_stage_and_runs_meetwire_as_an_unprivileged_user() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines() if line.strip()]
    stages = [line for line in lines if line.startswith("FROM ")]
    assert stages == ["FROM python:3.12-slim AS builder", "FROM python:3.12-slim"]
    final = lines[lines.index(stages[1]) :]
    assert any(line.startswith("COPY --from=builder") for line in final)
    users = [line.split()[1] for line in final if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}
    assert 'ENTRYPOINT ["meetwire"]' in final
    assert 'CMD ["run"]' in final
    assert any("MEETWIRE_DATA_DIR=/data" in line for line in final)
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert "*" in ignored
    assert {"!pyproject.toml", "!README.md", "!service/", "!schemas/", "!seeds/"} <= set(ignored)

"""The committed OpenAPI snapshot: current with the code, and every operation named and tagged."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from abdi.core.management.commands.openapi_snapshot import METHODS, render_schema

SNAPSHOT = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def operations(schema: dict) -> list[tuple[str, dict]]:
    return [
        (f"{method.upper()} {path}", operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_committed_snapshot_matches_the_api():
    # when / then: fails in CI when the API changed without `manage.py openapi_snapshot`
    call_command("openapi_snapshot", "--check")


def test_every_operation_has_an_operation_id_and_a_tag():
    # given
    schema = json.loads(render_schema())

    # when
    found = operations(schema)

    # then
    assert len(found) >= 13
    assert [name for name, op in found if not op.get("operationId")] == []
    assert [name for name, op in found if not op.get("tags")] == []


def test_operation_ids_are_unique():
    # given
    ids = [op["operationId"] for _, op in operations(json.loads(render_schema()))]

    # then
    assert sorted(ids) == sorted(set(ids))


def test_every_path_is_under_api_v1():
    schema = json.loads(render_schema())

    assert [path for path in schema["paths"] if not path.startswith("/api/v1/")] == []


def test_snapshot_is_sorted_indented_and_ends_with_a_newline(tmp_path):
    # given
    target = tmp_path / "openapi.json"

    # when
    call_command("openapi_snapshot", path=str(target))

    # then
    written = target.read_text(encoding="utf-8")
    schema = json.loads(written)
    assert written == json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert written.endswith("}\n")
    assert schema["info"]["title"] == "Abdi API"
    call_command("openapi_snapshot", "--check", path=str(target))


def test_check_summarises_the_drift_and_fails(tmp_path):
    # given a snapshot that lacks one operation, has one the API does not, and an old schema
    schema = json.loads(render_schema())
    del schema["paths"]["/api/v1/accounts/me"]
    schema["paths"]["/api/v1/accounts/old"] = {"get": {"operationId": "old", "tags": ["x"]}}
    schema["components"]["schemas"]["MeOut"]["required"] = ["username"]
    target = tmp_path / "openapi.json"
    target.write_text(json.dumps(schema, sort_keys=True, indent=2) + "\n", encoding="utf-8")

    # when
    with pytest.raises(CommandError) as caught:
        call_command("openapi_snapshot", "--check", path=str(target))

    # then
    message = str(caught.value)
    assert "is out of date" in message
    assert "  + operation GET /api/v1/accounts/me" in message
    assert "  - operation GET /api/v1/accounts/old" in message
    assert "  ~ schema MeOut" in message
    assert "Run `manage.py openapi_snapshot`" in message
    assert target.read_text(encoding="utf-8") == json.dumps(schema, sort_keys=True, indent=2) + "\n"


def test_check_fails_on_formatting_only_drift(tmp_path):
    # given the same schema without the final newline
    target = tmp_path / "openapi.json"
    target.write_text(render_schema().rstrip("\n"), encoding="utf-8")

    # when / then
    with pytest.raises(CommandError, match="formatting only"):
        call_command("openapi_snapshot", "--check", path=str(target))


def test_check_fails_when_the_snapshot_is_missing(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("openapi_snapshot", "--check", path=str(tmp_path / "missing.json"))


def test_committed_snapshot_is_the_default_path():
    assert SNAPSHOT.exists()
    assert json.loads(SNAPSHOT.read_text(encoding="utf-8"))["openapi"].startswith("3.")

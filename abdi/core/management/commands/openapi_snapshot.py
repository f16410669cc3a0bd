"""Write the ``/api/v1`` OpenAPI schema to ``docs/openapi.json``, or check that it is current.

The snapshot is committed so that every change to the API shows up in review; CI runs
``manage.py openapi_snapshot --check`` and fails when the code and the snapshot differ.
"""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

__all__ = ["Command", "render_schema", "summarise_drift"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def render_schema() -> str:
    """Return the schema as the snapshot stores it: sorted keys, indent 2, final newline."""
    from abdi.api import api

    # Descriptions must not depend on the language of whoever runs the command.
    with translation.override("en"):
        schema = api.get_openapi_schema()
    return json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _operations(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{method.upper()} {path}": operation
        for path, item in schema.get("paths", {}).items()
        for method, operation in item.items()
        if method in METHODS
    }


def _compare(label: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    lines = [f"  + {label} {key}" for key in sorted(new.keys() - old.keys())]
    lines += [f"  - {label} {key}" for key in sorted(old.keys() - new.keys())]
    lines += [
        f"  ~ {label} {key}" for key in sorted(old.keys() & new.keys()) if old[key] != new[key]
    ]
    return lines


def summarise_drift(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Return one line per operation or schema added (+), removed (-) or changed (~)."""
    lines = _compare("operation", _operations(old), _operations(new))
    lines += _compare(
        "schema",
        old.get("components", {}).get("schemas", {}),
        new.get("components", {}).get("schemas", {}),
    )
    rest_old = {k: v for k, v in old.items() if k not in {"paths", "components"}}
    rest_new = {k: v for k, v in new.items() if k not in {"paths", "components"}}
    lines += _compare("section", rest_old, rest_new)
    return lines


class Command(BaseCommand):
    help = "Write docs/openapi.json from the API, or with --check fail if it is out of date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Do not write; exit with an error if the snapshot differs from the API.",
        )
        parser.add_argument(
            "--path",
            default=str(Path(settings.BASE_DIR) / "docs" / "openapi.json"),
            help="Snapshot file (default: docs/openapi.json).",
        )

    def handle(self, *args: Any, check: bool, path: str, **options: Any) -> None:
        target = Path(path)
        current = render_schema()
        if not check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(current, encoding="utf-8")
            self.stdout.write(f"Wrote {target}.")
            return
        if not target.exists():
            raise CommandError(f"{target} does not exist; run `manage.py openapi_snapshot`.")
        committed = target.read_text(encoding="utf-8")
        if committed == current:
            self.stdout.write(f"{target} is up to date.")
            return
        try:
            lines = summarise_drift(json.loads(committed), json.loads(current))
        except json.JSONDecodeError:
            lines = ["  the committed file is not valid JSON"]
        if not lines:
            lines = ["  formatting only (keys, indentation or final newline)"]
        raise CommandError(
            "\n".join(
                [
                    f"{target} is out of date with the API:",
                    *lines,
                    "Run `manage.py openapi_snapshot` and commit the result.",
                ]
            )
        )

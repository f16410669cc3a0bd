"""A web process settles after loading: every view imported, and what is loaded frozen out of
the garbage collector's full passes (abdi/core/serving.py, config/wsgi.py, config/asgi.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PROBE = """
import gc, json, sys
import {module}
print(json.dumps({{"frozen": gc.get_freeze_count(), "tracked": len(gc.get_objects()),
                  "views": "abdi.kinerja.views.plan" in sys.modules}}))
"""


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_loading_the_application_loads_the_views_and_freezes_what_is_loaded(module: str) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", PROBE.format(module=module)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    state = json.loads(done.stdout.strip().splitlines()[-1])

    assert state["views"]
    # The application's objects are frozen; what the garbage collector still walks is a
    # small part of them.
    assert state["frozen"] > 50_000
    assert state["tracked"] < state["frozen"] / 5

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    """Uploaded evidence goes to a temporary media root."""
    settings.MEDIA_ROOT = str(tmp_path / "media")

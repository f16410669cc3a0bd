"""Test settings: fast hashing, in-memory mail, tasks eager, files in a temporary folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
_TMP = Path(tempfile.gettempdir())
MEDIA_ROOT = _TMP / "abdi-test-media"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not ":memory:", so threads (live server, Celery worker) share it the way
    # processes share the embedded database: WAL readers alongside one writer.
    DATABASES["default"]["TEST"] = {"NAME": str(_TMP / "abdi-test.sqlite3")}

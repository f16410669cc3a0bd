"""Test settings: fast hashing, in-memory mail, tasks eager, files in a temporary folder."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# Sign-in throttling and the registration limit are off except in the tests that test them.
AXES_ENABLED = False
ABDI_REQUIRE_ADMIN_TOTP = False  # on in the TOTP tests only
ABDI_REGISTRATION_RATE = ""
ABDI_PASSWORD_LINK_RATE = ""
# Counters stay in the test process (the Redis-shared mode has its own test).
ABDI_METRICS_REDIS_URL = ""
CELERY_BROKER_URL = "memory://localhost/"
# The cache stays in the test process too, emptied before each test (conftest.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# One folder per test process (and per xdist worker), removed when the process ends.
_TMP = Path(tempfile.mkdtemp(prefix="abdi-test-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
MEDIA_ROOT = _TMP / "media"
# Agencies' signing keys (generated on first signature) stay out of the checkout.
ABDI_KANTOR_KEY_DIR = str(_TMP / "keys")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not ":memory:", so threads (live server, Celery worker) share it the way
    # processes share the embedded database: WAL readers alongside one writer.
    DATABASES["default"]["TEST"] = {"NAME": str(_TMP / "abdi-test.sqlite3")}

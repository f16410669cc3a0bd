"""Local development on the embedded SQLite default."""

from config.env import env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", True)

VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405 - the SQLite file lives here

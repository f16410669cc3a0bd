"""The inovasi part of the demo agency (loaded by ``manage.py seed_demo``)."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class DemoResult:
    notes: list[str] = field(default_factory=list)


def seed_demo(*, stdout: Any = None) -> DemoResult:
    """Load this app's demo data for the demo agency; safe to run again."""
    return DemoResult()

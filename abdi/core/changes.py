"""Tell whoever keeps derived figures that source data of a unit and day changed.

Services of the apps whose data feeds a dashboard call :func:`data_changed` inside their
transaction; listeners (registered in an ``AppConfig.ready``) decide what to refresh. The
apps stay unaware of who listens, and nothing is recomputed inside the writer's
transaction: a listener only records what is stale and schedules work after commit.
"""

from collections.abc import Callable
from datetime import date

__all__ = ["Listener", "data_changed", "register_listener"]

#: ``listener(source=, instansi_id=, unit_id=, on=)``
Listener = Callable[..., None]

_listeners: list[Listener] = []


def register_listener(listener: Listener) -> None:
    """Call ``listener`` for every change from now on (registering twice is harmless)."""
    if listener not in _listeners:
        _listeners.append(listener)


def data_changed(*, source: str, instansi_id: int, unit_id: int | None, on: date) -> None:
    """Report that ``source`` data (``"layanan"``, ``"kinerja"``…) of a unit changed for ``on``.

    ``unit_id`` None means the change is not tied to one unit (the listener treats the
    whole agency as changed).
    """
    for listener in _listeners:
        listener(source=source, instansi_id=instansi_id, unit_id=unit_id, on=on)

"""Build innovations for tests through the real services."""

from datetime import date
from typing import Any

from abdi.inovasi import services
from abdi.inovasi.models import Innovation
from abdi.organisations.models import Employee


def register(
    owner: Employee, title: str = "Antrean daring KTP-el", *, metric: str = "",
    baseline: tuple[date, date] | None = None, service_name: str = "Penerbitan KTP-el",
    **extra: Any,
) -> Innovation:  # fmt: skip
    """Register a draft innovation as ``owner``."""
    return services.innovation_register(
        actor=owner.user, title=title,
        problem="Warga antre sejak subuh untuk perekaman KTP-el.",
        idea="Pendaftaran antrean lewat ponsel dengan jam kedatangan.",
        service_name=service_name, metric=metric,
        baseline_start=baseline[0] if baseline else None,
        baseline_end=baseline[1] if baseline else None, **extra,
    )  # fmt: skip


def endorsed(
    owner: Employee, leader: Employee, title: str = "Antrean daring KTP-el", **kw: Any
) -> Innovation:
    """Register, submit and endorse an innovation."""
    innovation = register(owner, title, **kw)
    services.innovation_submit(actor=owner.user, innovation=innovation)
    return services.innovation_endorse(actor=leader.user, innovation=innovation)

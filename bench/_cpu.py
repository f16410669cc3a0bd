"""CPU spent by the server under a benchmark: gunicorn's processes and PostgreSQL's.

Read from ``/proc`` (Linux) before and after the run, so it counts every process of the
gunicorn group (and of other named groups, such as a Celery worker's) and every PostgreSQL
backend alive at both reads (persistent connections keep theirs for the whole run); the
driver adds its own with :func:`os.times`.
"""

import os
from collections import Counter
from pathlib import Path


def cpu_seconds(gunicorn_group: int, **groups: int) -> Counter[str]:
    """CPU seconds used so far by the gunicorn processes and by PostgreSQL's, per pid.

    ``groups`` names further process groups by their leader's pid (``celery=worker.pid``).
    """
    named = {gunicorn_group: "gunicorn", **{pid: name for name, pid in groups.items()}}
    used: Counter[str] = Counter()
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process has ended
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        # fields[2] is the process group; [11] and [12] user and system time in ticks.
        if int(fields[2]) in named:
            group = named[int(fields[2])]
        elif name.startswith("postgres"):
            group = "PostgreSQL"
        else:
            continue
        used[f"{group} {stat.parent.name}"] = (int(fields[11]) + int(fields[12])) / tick
    return used


def cpu_report(
    before: Counter[str],
    after: Counter[str],
    seconds: float,
    *,
    driver: float,
    driver_name: str = "driver",
    requests: int = 0,
    per: str = "request",
) -> str:
    """One line: CPU seconds per process group over the run, and per request if given
    (``per`` names what ``requests`` counts: "submission" when only those are counted)."""
    spent: Counter[str] = Counter()
    for key, value in after.items():
        spent[key.split()[0]] += value - before.get(key, 0.0)
    spent[driver_name] = driver
    parts = ", ".join(f"{name} {value:.0f} s" for name, value in sorted(spent.items()))
    line = f"CPU during the run: {parts} (of {2 * seconds:.0f} s on 2 cores)"
    if requests:
        each = ", ".join(
            f"{name} {value * 1000 / requests:.1f} ms" for name, value in sorted(spent.items())
        )
        line += f"; per {per}: {each}"
    return line

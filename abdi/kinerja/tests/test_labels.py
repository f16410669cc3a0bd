"""Kinerja's template labels (templatetags/kinerja_labels.py)."""

from django.template import Context, Template

from abdi.kinerja.choices import PlanStatus, ReportStatus


def badge(status, label) -> str:
    template = Template("{% load kinerja_labels %}{% status_badge status label %}")
    return template.render(Context({"status": status, "label": label}))


def test_a_status_badge_is_coloured_by_its_status():
    assert badge(PlanStatus.APPROVED, "Disetujui") == (
        '<span class="badge badge-ok" data-testid="status-approved">Disetujui</span>'
    )
    assert 'class="badge badge-ok"' in badge(ReportStatus.ACCEPTED, "Diterima")
    assert 'class="badge badge-warn" data-testid="status-submitted"' in badge(
        ReportStatus.SUBMITTED, "Diajukan"
    )
    assert 'class="badge badge-err"' in badge(ReportStatus.RETURNED, "Dikembalikan")
    assert badge(PlanStatus.DRAFT, "Draf") == (
        '<span class="badge" data-testid="status-draft">Draf</span>'
    )


def test_a_status_badge_escapes_its_label():
    assert "&lt;b&gt;" in badge("draft", "<b>")

"""Protected files: nginx sends them after the access check, or Django streams them."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile


class Holder:
    """Stands in for a model instance: FieldFile only needs an object to hang on."""


@pytest.fixture
def stored(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    name = default_storage.save("kantor/surat resmi.pdf", ContentFile(b"%PDF-1.4 isi"))
    from django.db import models

    field = models.FileField(name="file")
    return FieldFile(Holder(), field, name)


def test_behind_nginx_only_the_internal_redirect_is_sent(settings, stored):
    from abdi.core.protected_files import serve

    settings.ABDI_PROTECTED_MEDIA_ACCEL = "/_protected/"

    response = serve(stored, filename="Surat 1.pdf", content_type="application/pdf")

    assert response["X-Accel-Redirect"] == "/_protected/kantor/surat%20resmi.pdf"
    assert response.content == b""
    assert response["Content-Disposition"] == "inline; filename*=UTF-8''Surat%201.pdf"
    assert response["Cache-Control"] == "private, no-store"


def test_without_nginx_django_streams_the_file(settings, stored):
    from abdi.core.protected_files import serve

    settings.ABDI_PROTECTED_MEDIA_ACCEL = ""

    response = serve(
        stored, filename="surat.pdf", content_type="application/pdf", as_attachment=True
    )

    assert b"".join(response.streaming_content) == b"%PDF-1.4 isi"
    assert "X-Accel-Redirect" not in response
    assert response["Content-Disposition"].startswith("attachment")

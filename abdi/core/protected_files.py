"""Send an uploaded file after the view's access check, the fastest way the deployment allows.

Uploaded files live outside the web root and nginx never serves ``MEDIA_ROOT`` publicly.
When ``ABDI_PROTECTED_MEDIA_ACCEL`` names nginx's ``internal`` location (for example
``/_protected/``), a view answers with only an ``X-Accel-Redirect`` header and nginx sends
the file itself; otherwise Django streams it. With object storage the file is streamed
from the bucket (or, for large files, a short-lived signed URL can be used instead).

    from abdi.core.protected_files import serve
    return serve(document.file, filename="surat.pdf", content_type="application/pdf")
"""

from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, HttpResponse, HttpResponseBase

__all__ = ["serve"]


def serve(
    field_file: Any, *, filename: str, content_type: str, as_attachment: bool = False
) -> HttpResponseBase:
    """Return a response delivering ``field_file`` (a FieldFile) to a permitted user."""
    accel = getattr(settings, "ABDI_PROTECTED_MEDIA_ACCEL", "")
    response: HttpResponseBase
    if accel and isinstance(field_file.storage, FileSystemStorage):
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(field_file.name)
        disposition = "attachment" if as_attachment else "inline"
        response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    else:
        response = FileResponse(
            field_file.open("rb"),
            content_type=content_type,
            as_attachment=as_attachment,
            filename=filename,
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

"""What an uploaded file really is, judged by its content rather than its name.

Every app that accepts files (evidence, service documents, letter attachments, innovation
evidence) asks :func:`sniff_file` for the file's content family and compares it with the
family its extension promises; each app keeps its own list of accepted types and limits.
"""

import zipfile
from typing import IO

__all__ = ["OFFICE_FOLDERS", "sniff", "sniff_file"]

_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"PK\x03\x04", "zip"),
)
# An Office Open XML file is a zip with a content-types part and one of these folders.
OFFICE_FOLDERS = ("word/", "xl/", "ppt/")


def sniff(head: bytes, zip_names: list[str] | None = None) -> str:
    """The content family from a file's first bytes (and, for a zip, its member names).

    "pdf", "png", "jpeg", an Office folder ("word/", "xl/", "ppt/"), or "" when unknown
    (a plain zip is unknown: it could hold anything).
    """
    family = next((name for magic, name in _MAGIC if head.startswith(magic)), "")
    if family != "zip":
        return family
    names = zip_names or []
    if "[Content_Types].xml" not in names:
        return ""
    return next(
        (folder for folder in OFFICE_FOLDERS if any(n.startswith(folder) for n in names)), ""
    )


def sniff_file(uploaded_file: IO[bytes]) -> str:
    """:func:`sniff` an open file; it is left at its start."""
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    names = None
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(uploaded_file) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            names = []
        finally:
            uploaded_file.seek(0)
    return sniff(head, names)

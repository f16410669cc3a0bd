"""Content sniffing shared by every app that accepts files."""

import io
import zipfile

import pytest

from abdi.core.uploads import sniff, sniff_file


@pytest.mark.parametrize(
    ("head", "names", "family"),
    [
        (b"%PDF-1.7\n", None, "pdf"),
        (b"\x89PNG\r\n\x1a\n....", None, "png"),
        (b"\xff\xd8\xff\xe0", None, "jpeg"),
        (b"PK\x03\x04", ["[Content_Types].xml", "word/document.xml"], "word/"),
        (b"PK\x03\x04", ["[Content_Types].xml", "xl/workbook.xml"], "xl/"),
        (b"PK\x03\x04", ["evil.exe"], ""),
        (b"MZ\x90\x00", None, ""),
    ],
)
def test_sniff(head: bytes, names: list[str] | None, family: str) -> None:
    assert sniff(head, names) == family


def test_sniffing_a_file_reads_its_zip_members_and_rewinds_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p/>")
    buffer.seek(7)

    assert sniff_file(buffer) == "ppt/"
    assert buffer.tell() == 0
    assert sniff_file(io.BytesIO(b"PK\x03\x04 not really a zip")) == ""

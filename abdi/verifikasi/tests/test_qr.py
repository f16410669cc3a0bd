import base64

import pytest
from weasyprint import HTML

from abdi.verifikasi.qr import qr_data_uri, qr_svg

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_the_qr_code_is_an_inline_svg_of_the_requested_size():
    svg = qr_svg("http://127.0.0.1:8000/v/K7QM-3XZP-9RTA-HV2D/", size_mm=30)

    assert svg.startswith("<svg")
    assert 'width="30mm"' in svg
    assert "<path" in svg
    decoded = base64.b64decode(qr_data_uri("x").split(",", 1)[1]).decode()
    assert decoded.startswith("<svg")


def test_weasyprint_draws_the_qr_code_into_a_pdf():
    html = f"<p>Kode</p>{qr_svg('http://127.0.0.1:8000/v/K7QM/')}<img src='{qr_data_uri('y')}'>"

    pdf = HTML(string=html).write_pdf()

    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 1000

"""End to end in headless Chromium: draft → paraf → return → fix → sign → disposition →
verification of the signed PDF (valid) and of a tampered copy (invalid)."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from abdi.kantor.models import Letter
from abdi.organisations.tests.factories import PASSWORD

from .conftest import build_office

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/akun/masuk/")
    page.get_by_label("NIP").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def open_letter(page: Any, subject: str) -> None:
    page.goto("/kantor/")
    page.get_by_role("link", name=subject).first.click()
    page.wait_for_load_state()


def test_draft_paraf_return_fix_sign_dispose_and_verify(
    page: Any, agency: Any, tmp_path: Path
) -> None:
    build_office(agency)
    subject = "Rapat koordinasi pelayanan"

    # Agus (staff of Bidang A) drafts a nota dinas to Bidang B, to be signed by the head.
    sign_in(page, agency.staff_a.nip)
    page.goto("/kantor/")
    page.get_by_test_id("new-letter").click()
    form = page.get_by_test_id("letter-form")
    form.locator("select[name=template]").select_option(label="Nota Dinas")
    form.locator("select[name=classification]").select_option(label="800 Kepegawaian")
    form.locator("[name=subject]").fill(subject)
    form.locator("[name=body]").fill("Dengan hormat,\n\nKami mengundang Bapak/Ibu ke rapat.")
    form.locator("select[name=signer_position]").select_option(
        label="Kepala Dinas — Siti Rahmawati"
    )
    form.locator("select[name=units]").select_option(label="Bidang B")
    form.locator("button[type=submit]").click()
    page.get_by_test_id("submit").click()
    assert "Menunggu paraf" in page.get_by_test_id("status").inner_text()

    # Budi (Kepala Bidang A) initials.
    sign_in(page, agency.head_a.nip)
    open_letter(page, subject)
    page.get_by_test_id("paraf").click()
    page.get_by_test_id("route").get_by_text("Diparaf").wait_for()

    # Siti (Kepala Dinas) returns it with a comment.
    sign_in(page, agency.head.nip)
    open_letter(page, subject)
    page.get_by_test_id("decide").locator("[name=comment]").fill("Sebutkan hari dan tempatnya.")
    page.get_by_test_id("return").click()
    assert "Dikembalikan" in page.get_by_test_id("status").inner_text()

    # Agus fixes the text (version 2, diffable) and resubmits.
    sign_in(page, agency.staff_a.nip)
    open_letter(page, subject)
    assert "Sebutkan hari dan tempatnya." in page.get_by_test_id("route").inner_text()
    edit = page.get_by_test_id("edit")
    edit.locator("[name=body]").fill(
        "Dengan hormat,\n\nKami mengundang Bapak/Ibu ke rapat pada hari Senin di Aula."
    )
    edit.locator("[name=note]").fill("Hari dan tempat")
    page.get_by_test_id("save").click()
    page.get_by_test_id("diff-link").click()
    diff = page.get_by_test_id("diff").inner_text()
    assert "+ Kami mengundang Bapak/Ibu ke rapat pada hari Senin di Aula." in diff
    assert "- Kami mengundang Bapak/Ibu ke rapat." in diff
    open_letter(page, subject)
    page.get_by_test_id("submit").click()

    # Budi initials again; Siti signs.
    sign_in(page, agency.head_a.nip)
    open_letter(page, subject)
    page.get_by_test_id("paraf").click()
    sign_in(page, agency.head.nip)
    open_letter(page, subject)
    page.get_by_test_id("sign").click()
    number = page.get_by_test_id("number").inner_text()
    year = agency.instansi.local_date().year
    assert number == f"1/800/DINAS/{year}"

    # Dewi (Kepala Bidang B) finds it in her inbox and disposes it to Hendra.
    sign_in(page, agency.head_b.nip)
    page.goto("/kantor/")
    page.get_by_test_id("inbox-row").filter(has_text=number).get_by_role("link").click()
    dispose = page.get_by_test_id("dispose-form")
    dispose.get_by_label("Hendra Gunawan — Analis B").check()
    dispose.locator("[name=instruction]").fill("Siapkan bahan paparan.")
    deadline = agency.instansi.local_date() + dt.timedelta(days=2)
    dispose.locator("[name=deadline]").fill(deadline.isoformat())
    page.get_by_test_id("dispose").click()
    tree = page.get_by_test_id("tree")
    tree.get_by_text("Hendra Gunawan").wait_for()

    # Hendra reports done with a reply; Dewi sees it in the tree.
    sign_in(page, agency.staff_b.nip)
    page.goto("/kantor/")
    row = page.get_by_test_id("inbox-row").filter(has_text="Siapkan bahan paparan.")
    row.get_by_role("link").click()
    page.get_by_test_id("my-entry").locator("[name=reply]").fill("Bahan sudah siap.")
    page.get_by_test_id("complete").click()
    sign_in(page, agency.head_b.nip)
    page.goto("/kantor/")
    page.get_by_test_id("inbox-row").filter(has_text=number).get_by_role("link").click()
    assert page.get_by_test_id("reply").inner_text() == "Bahan sudah siap."

    # Download the signed PDF and check it on the public verification page: valid.
    with page.expect_download() as download:
        page.get_by_test_id("signed-pdf").click()
    signed = tmp_path / "surat.pdf"
    download.value.save_as(signed)
    letter = Letter.objects.get(subject=subject)
    assert signed.read_bytes() == letter.signed_file.open("rb").read()
    page.context.clear_cookies()
    page.goto(f"/v/{letter.verification_code}/")
    page.locator("input[type=file]").set_input_files(str(signed))
    page.get_by_role("button", name="Periksa berkas").click()
    verdict = page.locator("[data-file-verdict]")
    assert verdict.get_attribute("data-file-verdict") == "valid"
    assert "Tanda tangan sah" in page.content()

    # A tampered copy (one byte changed in the signed range) is reported invalid.
    content = bytearray(signed.read_bytes())
    content[400] ^= 0x01
    tampered = tmp_path / "surat-diubah.pdf"
    tampered.write_bytes(bytes(content))
    page.locator("input[type=file]").set_input_files(str(tampered))
    page.get_by_role("button", name="Periksa berkas").click()
    assert page.locator("[data-file-verdict]").get_attribute("data-file-verdict") == "invalid"
    assert "tanda tangannya tidak lagi berlaku" in page.content()

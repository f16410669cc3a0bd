"""The UI shell: no asset from outside the platform, and a complete Indonesian catalogue."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
EXTERNAL_ASSET = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


def test_templates_load_no_asset_from_another_host():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "abdi").rglob("*.html")
        if EXTERNAL_ASSET.search(path.read_text(encoding="utf-8"))
    ]

    assert offenders == []


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"))


def test_indonesian_catalogue_has_no_untranslated_or_fuzzy_entries(catalogue):
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]

    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_po_file(catalogue):
    compiled = polib.mofile(str(ROOT / "locale" / "id" / "LC_MESSAGES" / "django.mo"))
    in_mo = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
             for e in compiled}  # fmt: skip
    in_po = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
             for e in catalogue.translated_entries()}  # fmt: skip

    assert in_mo == in_po


def test_every_translatable_source_string_is_in_the_catalogue(catalogue):
    """Catch a new ``_("…")`` or ``{% translate "…" %}`` that ``make messages`` was not run for."""
    known = {entry.msgid for entry in catalogue}
    # One literal closed by ``)`` or ``,``: implicit concatenations are left to makemessages.
    in_python = re.compile(
        r"""(?:\b_|\bgettext_lazy|\bgettext)\(\s*(["'])((?:\\.|(?!\1).)+?)\1\s*[,)]"""
    )
    in_templates = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1""")
    missing = set()
    for path in [*(ROOT / "abdi").rglob("*.py"), *(ROOT / "abdi").rglob("*.html")]:
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        pattern = in_python if path.suffix == ".py" else in_templates
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            msgid = match.group(2).replace("\\'", "'").replace('\\"', '"')
            if msgid not in known:
                missing.add(f"{path.relative_to(ROOT)}: {msgid}")

    assert sorted(missing) == []

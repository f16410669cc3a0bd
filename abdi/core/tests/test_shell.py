"""The UI shell: no asset from outside the platform, and complete Indonesian catalogues.

The project catalogue is ``locale/``; an app may keep its own in ``abdi/<app>/locale/``
(``makemessages`` files each source string under the nearest ``locale`` directory).
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
EXTERNAL_ASSET = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)
PROJECT_LOCALE = ROOT / "locale"
APP_LOCALES = sorted(path for path in (ROOT / "abdi").glob("*/locale") if path.is_dir())
LOCALES = [PROJECT_LOCALE, *APP_LOCALES]


def po_path(locale: Path) -> Path:
    return locale / "id" / "LC_MESSAGES" / "django.po"


def locale_of(path: Path) -> Path:
    """The catalogue makemessages files ``path``'s strings under."""
    for locale in APP_LOCALES:
        if locale.parent in path.parents:
            return locale
    return PROJECT_LOCALE


def test_templates_load_no_asset_from_another_host():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "abdi").rglob("*.html")
        if EXTERNAL_ASSET.search(path.read_text(encoding="utf-8"))
    ]

    assert offenders == []


@pytest.fixture(scope="module")
def catalogues() -> dict[Path, polib.POFile]:
    return {
        locale: polib.pofile(str(po_path(locale))) for locale in LOCALES if po_path(locale).exists()
    }


def test_indonesian_catalogues_have_no_untranslated_or_fuzzy_entries(catalogues):
    untranslated = [
        f"{locale.relative_to(ROOT)}: {entry.msgid}"
        for locale, catalogue in catalogues.items()
        for entry in catalogue.untranslated_entries()
    ]
    fuzzy = [
        f"{locale.relative_to(ROOT)}: {entry.msgid}"
        for locale, catalogue in catalogues.items()
        for entry in catalogue.fuzzy_entries()
    ]

    assert PROJECT_LOCALE in catalogues
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("locale", LOCALES, ids=lambda path: str(path.relative_to(ROOT)))
def test_compiled_catalogue_matches_the_po_file(catalogues, locale):
    if locale not in catalogues:
        pytest.skip("this app has no translatable strings yet")
    compiled = polib.mofile(str(po_path(locale).with_suffix(".mo")))
    in_mo = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
             for e in compiled}  # fmt: skip
    in_po = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
             for e in catalogues[locale].translated_entries()}  # fmt: skip

    assert in_mo == in_po


def test_every_translatable_source_string_is_in_its_catalogue(catalogues):
    """Catch a new ``_("…")`` or ``{% translate "…" %}`` that ``make messages`` was not run for."""
    known = {
        locale: {entry.msgid for entry in catalogue} for locale, catalogue in catalogues.items()
    }
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
        msgids = known.get(locale_of(path), set())
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            msgid = match.group(2).replace("\\'", "'").replace('\\"', '"')
            if msgid not in msgids:
                missing.add(f"{path.relative_to(ROOT)}: {msgid}")

    assert sorted(missing) == []

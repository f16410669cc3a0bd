"""The fields of empty forms, rendered once per process and language (core.frames.empty_fields)."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test.signals import template_rendered
from django.utils import translation

from abdi.core.frames import PREFIX_SLOT, _empty_fields, empty_fields

FIELDS = "kinerja/partials/_fields.html"


class PeriodForm(forms.Form):
    period = forms.TypedChoiceField(label="Periode", coerce=int)
    note = forms.CharField(label=translation.gettext_lazy("Note"), required=False)

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods


@pytest.fixture
def renders():
    _empty_fields.cache_clear()
    seen: list[str] = []

    def count(sender, template, context, **kwargs):
        seen.append(template.name)

    template_rendered.connect(count)
    yield seen
    template_rendered.disconnect(count)
    _empty_fields.cache_clear()


def test_each_form_gets_its_own_prefix_from_one_render(renders):
    periods = ((1, "Januari"), (2, "Februari"))
    first = empty_fields(FIELDS, PeriodForm, "r11", periods=periods)
    second = empty_fields(FIELDS, PeriodForm, "r12", periods=periods)

    assert renders.count(FIELDS) == 1
    assert PREFIX_SLOT not in first + second
    assert 'name="r11-period"' in first
    assert 'id="id_r11-note"' in first
    assert 'name="r12-period"' in second
    assert "r11" not in second
    assert second == first.replace("r11", "r12")
    # What the form itself renders.
    assert first == render_to_string(FIELDS, {"form": PeriodForm(periods=periods, prefix="r11")})


def test_other_options_or_another_language_are_rendered_apart(renders):
    with translation.override("en"):
        january = empty_fields(FIELDS, PeriodForm, "r1", periods=((1, "Januari"),))
        february = empty_fields(FIELDS, PeriodForm, "r1", periods=((1, "Januari"), (2, "Feb")))
    with translation.override("id"):
        indonesian = empty_fields(FIELDS, PeriodForm, "r1", periods=((1, "Januari"),))
    with translation.override("en"):
        english_again = empty_fields(FIELDS, PeriodForm, "r1", periods=((1, "Januari"),))

    assert 'value="2"' in february
    assert 'value="2"' not in january
    assert "Catatan" in indonesian
    assert "Note" not in indonesian
    assert english_again == january
    assert renders.count(FIELDS) == 3  # English once per options, Indonesian once


def test_a_form_without_prefix_keeps_its_plain_names(renders):
    html = empty_fields(FIELDS, PeriodForm, periods=((1, "Januari"),))
    assert 'name="period"' in html
    assert PREFIX_SLOT not in html

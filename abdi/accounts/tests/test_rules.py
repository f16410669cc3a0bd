"""Sign-in identifiers: NIP, email and Indonesian mobile numbers. No database."""

import pytest

from abdi.accounts.rules import (
    normalise_citizen_identifier,
    normalise_identifier,
    normalise_phone,
)
from abdi.core.exceptions import ValidationError

# --------------------------------------------------------------------------------------------
# normalise_phone
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("081234567890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("(0812) 3456.7890", "+6281234567890"),
        ("  0812 3456 7890  ", "+6281234567890"),
        ("0812345678", "+62812345678"),  # 9 digits after the 0: the shortest
        ("0812345678901", "+62812345678901"),  # 13 digits after the 0: the longest
    ],
)
def test_normalise_phone_returns_e164(value, expected):
    assert normalise_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("81234567890", "phone.invalid"),  # no 0, 62 or +62 prefix
        ("+6181234567890", "phone.invalid"),  # another country
        ("0212345678", "phone.invalid"),  # a Jakarta landline, not a mobile
        ("081234567", "phone.invalid"),  # 8 digits after the 0
        ("081234567890123", "phone.invalid"),  # 14 digits after the 0
        ("0812345678a", "phone.invalid"),
        ("", "phone.invalid"),
    ],
)
def test_normalise_phone_refuses_what_is_not_an_indonesian_mobile(value, code):
    with pytest.raises(ValidationError) as caught:
        normalise_phone(value)

    assert (caught.value.code, caught.value.field, caught.value.status) == (code, "phone", 422)


# --------------------------------------------------------------------------------------------
# normalise_identifier
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("198504122010031001", "198504122010031001"),
        ("19850412 201003 1 001", "198504122010031001"),
        ("  19850412 201003 1 001 ", "198504122010031001"),
        ("Warga@Example.ID", "warga@example.id"),
        ("  warga.contoh+abdi@mail.co.id ", "warga.contoh+abdi@mail.co.id"),
        ("081234567890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("62 812 3456 7890", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
    ],
)
def test_normalise_identifier(value, expected):
    assert normalise_identifier(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("warga@", "email.invalid"),
        ("warga@example", "email.invalid"),
        ("war ga@example.id", "email.invalid"),
        ("a@b@example.id", "email.invalid"),
        ("1985041220100310", "phone.invalid"),  # a 16-digit number is neither NIP nor phone
        ("warga", "phone.invalid"),
    ],
)
def test_normalise_identifier_refuses_an_unrecognisable_identifier(value, code):
    with pytest.raises(ValidationError) as caught:
        normalise_identifier(value)

    # the refusal names the field the user typed into, whatever the value turned out to be
    assert (caught.value.code, caught.value.field) == (code, "identifier")


# --------------------------------------------------------------------------------------------
# normalise_citizen_identifier
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Warga@Example.ID", "warga@example.id"), ("0812-3456-7890", "+6281234567890")],
)
def test_citizen_identifier_is_an_email_or_a_phone(value, expected):
    assert normalise_citizen_identifier(value) == expected


@pytest.mark.parametrize("value", ["198504122010031001", "19850412 201003 1 001"])
def test_citizen_identifier_refuses_an_nip(value):
    with pytest.raises(ValidationError) as caught:
        normalise_citizen_identifier(value)

    assert (caught.value.code, caught.value.field) == ("identifier.invalid", "identifier")

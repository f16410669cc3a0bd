from hypothesis import given
from hypothesis import strategies as st

from abdi.verifikasi.rules import ALPHABET, CODE_LENGTH, display_code, new_code, normalise_code


def test_a_new_code_is_sixteen_unambiguous_characters():
    codes = {new_code() for _ in range(200)}

    assert len(codes) == 200
    assert all(len(code) == CODE_LENGTH and set(code) <= set(ALPHABET) for code in codes)
    assert not set("ILOU") & set(ALPHABET)


def test_a_typed_code_is_forgiven_its_case_dashes_and_lookalikes():
    assert normalise_code("k7qm-3xzp-9rta-hv2d") == "K7QM3XZP9RTAHV2D"
    assert normalise_code(" K7QM 3XZP 9RTA HV2D ") == "K7QM3XZP9RTAHV2D"
    assert normalise_code("OOOO-IIII-LLLL-0000") == "0000111111110000"


def test_what_cannot_be_a_code_is_refused():
    assert normalise_code("") is None
    assert normalise_code("K7QM-3XZP-9RTA") is None
    assert normalise_code("K7QM-3XZP-9RTA-HV2U") is None  # U is not in the alphabet
    assert normalise_code("K7QM-3XZP-9RTA-HV2D-A") is None


@given(st.text(alphabet=ALPHABET, min_size=CODE_LENGTH, max_size=CODE_LENGTH))
def test_display_then_normalise_round_trips(code):
    shown = display_code(code)

    assert shown.count("-") == 3
    assert normalise_code(shown) == code
    assert normalise_code(shown.lower()) == code

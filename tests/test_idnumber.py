import datetime

import pytest

from zizhi.registry import idnumber
from zizhi.registry.idnumber import IdNumberError

VALID = ["11010519491231002X", "440524188001010014"]


@pytest.mark.parametrize("value", VALID)
def test_standard_vectors_are_valid(value):
    assert idnumber.validate(value) == value


@pytest.mark.parametrize("value", VALID)
def test_every_single_character_change_is_rejected(value):
    alphabet = "0123456789X"
    changed = 0
    for i, original in enumerate(value):
        for ch in alphabet:
            if ch == original:
                continue
            mutated = value[:i] + ch + value[i + 1 :]
            with pytest.raises(IdNumberError):
                idnumber.validate(mutated)
            changed += 1
    assert changed == 18 * 10


def test_derived_fields_and_mask():
    value = "11010519491231002X"
    assert idnumber.birth_date(value) == datetime.date(1949, 12, 31)
    assert idnumber.gender(value) == "F"
    assert idnumber.gender("440524188001010014") == "M"
    assert idnumber.mask(value) == "110105********002X"


@pytest.mark.parametrize(
    "raw",
    ["１１０１０５１９４９１２３１００２ｘ", " 110105 1949 1231 002x ", "'11010519491231002X"],
)
def test_full_width_spaces_quotes_and_lower_x_are_normalised(raw):
    assert idnumber.validate(raw) == "11010519491231002X"


def test_number_mangled_by_excel_is_explained():
    with pytest.raises(IdNumberError, match="科学计数法"):
        idnumber.validate(1.10105194912310e17)
    with pytest.raises(IdNumberError, match="科学计数法"):
        idnumber.validate("1.10105E+17")


def test_integer_from_a_number_cell_is_accepted():
    assert idnumber.validate("440524188001010014.0") == ("440524188001010014")


@pytest.mark.parametrize(
    "value,reason",
    [
        ("1101051949123100", "18位"),
        ("990105194912310025", "地区码"),
        ("110105194902300021", "真实日期"),
        ("110105287001010011", "不合理"),
    ],
)
def test_bad_numbers_say_why(value, reason):
    with pytest.raises(IdNumberError, match=reason):
        idnumber.validate(value)


def test_make_builds_valid_numbers():
    for seq in range(0, 1000, 37):
        assert idnumber.is_valid(idnumber.make("330106", datetime.date(1987, 6, 5), seq))

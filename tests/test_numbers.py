import pytest

from tracker.numbers import InvalidNumber, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12.0),
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("-3,25", -3.25),
        ("1.234,5", 1234.5),
        ("1.234", 1234.0),
        ("1.234.567", 1234567.0),
        ("1,234.5", 1234.5),
        (" 7 ", 7.0),
        ("1 234,5", 1234.5),
    ],
)
def test_numbers_as_people_type_them(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "12,5%", "nan", "inf", "1e5", "--1"])
def test_not_a_number(text):
    with pytest.raises(InvalidNumber):
        parse_number(text)

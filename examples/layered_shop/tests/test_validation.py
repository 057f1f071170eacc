import pytest

from shop.utils.validation import (
    ValidationError,
    validate_country,
    validate_email,
    validate_quantity,
    validate_sku,
)


def test_email_is_normalised():
    assert validate_email("  Jane.Doe@Example.COM ") == "jane.doe@example.com"


def test_invalid_email_names_the_field():
    with pytest.raises(ValidationError) as excinfo:
        validate_email("not-an-address")
    assert excinfo.value.field == "email"


@pytest.mark.parametrize("raw", ["0", "1000", "abc"])
def test_quantity_bounds(raw):
    with pytest.raises(ValidationError):
        validate_quantity(raw)


def test_sku_is_upper_cased():
    assert validate_sku("bk-0042") == "BK-0042"


def test_unknown_country_is_rejected():
    with pytest.raises(ValidationError):
        validate_country("XX")

"""Reading single cells and headers of import files as government exports spell them."""

import datetime
import decimal

import pytest
from django.utils import translation

from merchants.imports import values
from merchants.imports.columns import header_key


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "header, key",
    [
        ("行政相对人代码_1（统一社会信用代码）", "行政相对人代码(统一社会信用代码)"),
        (" 行政相对人代码_1 (统一社会信用代码) ", "行政相对人代码(统一社会信用代码)"),
        ("\ufeff行政处罚决定书文号", "行政处罚决定书文号"),
        ("罚款金额（万元）", "罚款金额(万元)"),
        ("Name_ZH", "name_zh"),
    ],
)
def test_headers_compare_without_width_spacing_or_numbered_suffix(header, key):
    assert header_key(header) == key


def test_the_organisation_code_column_is_not_taken_for_the_credit_code():
    assert header_key("行政相对人代码_2(组织机构代码)") != header_key(
        "行政相对人代码_1(统一社会信用代码)"
    )


@pytest.mark.parametrize(
    "cell, types",
    [
        ("警告", ["warning"]),
        ("罚款", ["fine"]),
        ("警告;罚款", ["warning", "fine"]),
        ("罚款，警告", ["warning", "fine"]),
        ("没收违法所得、没收非法财物", ["confiscation"]),
        ("责令停产停业", ["suspension"]),
        ("暂扣许可证", ["suspension"]),
        ("吊销许可证", ["revocation"]),
        ("吊销营业执照；罚款", ["fine", "revocation"]),
        ("fine, warning", ["warning", "fine"]),
    ],
)
def test_penalty_categories_map_to_penalty_types(cell, types):
    assert values.penalty_types(cell) == types


def test_an_unknown_penalty_category_is_refused_by_name():
    with pytest.raises(values.BadValue) as bad:
        values.penalty_types("罚款、通报批评")
    assert "“通报批评” is not a penalty type" in bad.value.message


@pytest.mark.parametrize(
    "certificate, kind",
    [
        ("营业执照", "business"),
        ("食品经营许可证", "food_business"),
        ("医疗机构执业许可证", "medical_practice"),
        ("药品经营许可证（零售）", "drug_retail"),
        ("户外广告设置许可", "other"),
        ("", "other"),
    ],
)
def test_licence_kind_from_the_certificate_name(certificate, kind):
    assert values.licence_kind(certificate) == kind


def test_our_own_kind_column_refuses_a_typo_instead_of_guessing():
    assert values.licence_kind_strict("food_business") == "food_business"
    assert values.licence_kind_strict("食品经营许可证") == "food_business"
    with pytest.raises(values.BadValue):
        values.licence_kind_strict("food_busines")


@pytest.mark.parametrize(
    "cell, scale, amount",
    [
        ("2000", 1, "2000.00"),
        ("2,000.5", 1, "2000.50"),
        ("0.3", 10000, "3000.00"),
        ("3000元", 10000, "3000.00"),
        ("0.5万元", 1, "5000.00"),
        (1.25, 10000, "12500.00"),
        ("", 1, None),
    ],
)
def test_fine_amounts_in_yuan_or_ten_thousand_yuan(cell, scale, amount):
    expected = None if amount is None else decimal.Decimal(amount)
    assert values.amount(cell, scale) == expected


@pytest.mark.parametrize("cell", ["abc", "-5", "1e20"])
def test_a_bad_amount_is_refused(cell):
    with pytest.raises(values.BadValue):
        values.amount(cell)


@pytest.mark.parametrize(
    "cell",
    ["2019-07-12", "2019/7/12", "2019年7月12日", "20190712", 20190712, datetime.date(2019, 7, 12)],
)
def test_dates_as_they_come(cell):
    assert values.optional_date(cell) == datetime.date(2019, 7, 12)


def test_choices_by_code_english_label_or_chinese_name():
    assert values.merchant_kind("clinic") == "clinic"
    assert values.merchant_kind("Market stall") == "stall"
    assert values.merchant_kind("医疗机构") == "clinic"
    assert values.merchant_category("ＤＥＮＴＡＬ") == "dental"
    assert values.severity("") == "general"


def test_a_credit_code_is_folded_to_half_width_upper_case():
    assert values.code(" ９１４４０１０４ma９ukl３０５j ") == "91440104MA9UKL305J"

import pytest
from django.utils import translation

from merchants import credit_code

# Published codes of real organisations (from their public registrations).
REAL_CODES = [
    "91350100M000100Y43",  # the worked example in GB 32100-2015
    "91110108551385082Q",  # a Beijing technology company
    "91440300708461136T",  # a Shenzhen technology company
    "91110000802100433B",  # a state-owned enterprise in Beijing
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_world_codes_are_valid(code):
    assert credit_code.problem(code) is None


def test_every_single_character_change_is_caught():
    code = "91350100M000100Y43"
    for position in range(18):
        for symbol in credit_code.ALPHABET:
            if symbol == code[position]:
                continue
            altered = code[:position] + symbol + code[position + 1 :]
            assert credit_code.problem(altered) is not None, altered


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91350100M000100Y4", "18"),
        ("91350100M000100Y433", "18"),
        ("91350100M000I00Y43", "I"),
        ("9135010OM000100Y43", "O"),
        ("91350100M000100Y44", "check"),
    ],
)
def test_problem_says_what_is_wrong(code, fragment):
    with translation.override("en"):
        assert fragment in str(credit_code.problem(code))


def test_problem_is_explained_in_chinese_too():
    with translation.override("zh-hans"):
        assert "校验码" in str(credit_code.problem("91350100M000100Y44"))
        assert "18" in str(credit_code.problem("123"))


def test_complete_appends_the_check_character():
    assert credit_code.complete("91350100M000100Y4") == "91350100M000100Y43"


def test_normalise_accepts_lower_case_and_spaces():
    assert credit_code.normalise("  91350100m000100y43 ") == "91350100M000100Y43"

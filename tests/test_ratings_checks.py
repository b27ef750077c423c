"""System checks that stop a deployment with review settings that would weaken a limit."""

from ratings.checks import check_review_settings


def ids(settings_errors):
    return [error.id for error in settings_errors]


def test_the_shipped_settings_pass():
    assert check_review_settings(None) == []


def test_a_malformed_or_missing_rate_is_an_error(settings):
    settings.REVIEW_RATES = {**settings.REVIEW_RATES, "ip": ["10 per minute"], "device": []}
    assert ids(check_review_settings(None)) == ["ratings.E002", "ratings.E001"]


def test_hashes_must_outlive_the_one_review_period(settings):
    settings.REVIEW_ONE_PER_DEVICE_DAYS, settings.REVIEW_HASH_RETENTION_DAYS = 30, 29
    assert ids(check_review_settings(None)) == ["ratings.E003"]

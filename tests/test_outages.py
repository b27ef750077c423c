"""While PostgreSQL is unreachable, visitors get a bilingual 503 with Retry-After, not a 500."""

import pytest
from django.db import OperationalError

from chengxin.outages import server_error
from tests.test_health import CLOSED_POSTGRES, get_in_a_process


def test_pages_answer_503_with_retry_after_when_postgresql_is_down():
    script_path = "/en/beijing-road/"  # a Wagtail page: the database is asked at once
    status, body = get_in_a_process(script_path, CLOSED_POSTGRES)
    assert status == 503
    assert "Please try again in a few seconds." in body
    assert "请" in body


@pytest.mark.django_db
def test_other_errors_stay_500(rf):
    request = rf.get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500


def test_database_errors_become_503(rf):
    request = rf.get("/")
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"

"""Optional phone verification of reviewers: a code by text message, only a keyed hash kept."""

import datetime
import re

import pytest
from django.test import Client

from ratings import phones
from ratings.models import Review
from tests.factories import MerchantFactory
from tests.factories_ratings import form_data, review_path, scan

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 11, 23, 4, tzinfo=datetime.UTC)
NUMBER = "13812345678"


@pytest.fixture(autouse=True)
def _phone_verification_on(settings, time_machine):
    time_machine.move_to(NOON, tick=False)
    settings.REVIEW_PHONE_VERIFICATION = True
    settings.REVIEW_PHONE_KEY = "k" * 40


@pytest.fixture
def visitor():
    client = Client(REMOTE_ADDR="192.0.2.10", HTTP_ACCEPT_LANGUAGE="en")
    merchant = MerchantFactory()
    scan(client, merchant)
    client.merchant = merchant
    return client


def sent_code(capsys):
    return re.findall(r"SMS to (\d+): .*?(\d{6})", capsys.readouterr().out)


def test_the_form_asks_for_a_mobile_number(visitor):
    html = visitor.get(review_path(visitor.merchant, "en")).content.decode()
    assert 'name="phone"' in html and "Only a keyed hash of it is kept" in html


def test_a_review_is_taken_once_the_texted_code_comes_back(visitor, capsys):
    path = review_path(visitor.merchant, "en")
    response = visitor.post(path, form_data(phone="+86 138-1234-5678"))
    assert response.status_code == 200
    assert "We sent a code to 138****5678" in response.content.decode()
    assert Review.objects.count() == 0
    [(number, code)] = sent_code(capsys)
    assert number == NUMBER

    response = visitor.post(path, form_data(phone=NUMBER, code=code))
    assert response.status_code == 303
    review = Review.objects.get()
    assert review.phone_hash == phones.number_hash(NUMBER)
    assert NUMBER not in str(Review.objects.values().get())


def test_a_wrong_code_is_refused_and_a_used_code_cannot_be_used_again(visitor, capsys):
    path = review_path(visitor.merchant, "en")
    visitor.post(path, form_data(phone=NUMBER))
    [(_number, code)] = sent_code(capsys)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = visitor.post(path, form_data(phone=NUMBER, code=wrong))
    assert response.status_code == 400
    assert "That is not the code we sent" in response.content.decode()
    assert visitor.post(path, form_data(phone=NUMBER, code=code)).status_code == 303
    other = MerchantFactory()
    scan(visitor, other)
    response = visitor.post(review_path(other, "en"), form_data(phone=NUMBER, code=code))
    assert response.status_code == 400


def test_guessing_codes_is_cut_off(visitor, capsys):
    path = review_path(visitor.merchant, "en")
    visitor.post(path, form_data(phone=NUMBER))
    [(_number, code)] = sent_code(capsys)
    wrong = [f"{(int(code) + n) % 10**6:06d}" for n in range(1, 7)]
    statuses = [visitor.post(path, form_data(phone=NUMBER, code=c)).status_code for c in wrong]
    assert statuses[-1] == 429
    assert visitor.post(path, form_data(phone=NUMBER, code=code)).status_code == 429


def test_codes_per_number_are_limited(visitor, capsys):
    path = review_path(visitor.merchant, "en")
    statuses = [visitor.post(path, form_data(phone=NUMBER)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert len(sent_code(capsys)) == 3


def test_a_number_that_is_not_a_mainland_mobile_gets_a_clear_message(visitor):
    response = visitor.post(review_path(visitor.merchant, "en"), form_data(phone="12345"))
    assert response.status_code == 400
    assert "Enter a mainland China mobile number" in response.content.decode()


def test_without_the_setting_no_number_is_asked(visitor, settings):
    settings.REVIEW_PHONE_VERIFICATION = False
    html = visitor.get(review_path(visitor.merchant, "en")).content.decode()
    assert 'name="phone"' not in html
    assert visitor.post(review_path(visitor.merchant, "en"), form_data()).status_code == 303
    assert Review.objects.get().phone_hash == ""

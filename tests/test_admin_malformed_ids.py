"""No 500 anywhere in the admin: every URL pattern, given malformed ids, answers 4xx or a page.

The walk covers every pattern under /admin/ with a parameter, Wagtail's own
included, because staff reach all of them from bookmarks, old links and typos.
"""

import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MALFORMED = {
    "int": ["99999999999999999999", "0"],
    "other": ["abc", "99999999999999999999", "1%27%20or%201=1", "%E4%B8%AD", "-1"],
}
_CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_GROUP = re.compile(r"\(\?P<\w+>[^)]*\)")


def admin_patterns():
    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return sorted(
        {
            path
            for path in walk(get_resolver().url_patterns, "")
            if path.startswith("admin/") and ("<" in path or "(?P" in path)
        }
    )


def urls_for(pattern):
    """The pattern with each parameter replaced by each malformed value for its kind."""
    plain = pattern.replace("^", "").replace("$", "").replace("\\.", ".")
    converters = {match["converter"] for match in _CONVERTER.finditer(plain)}
    kind = "int" if converters == {"int"} else "other"
    values = MALFORMED[kind] if "<" in plain else MALFORMED["int"]
    for value in values:
        url = _CONVERTER.sub(value, plain)
        url = _GROUP.sub(value, url)
        yield "/" + url


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_every_admin_url_answers_malformed_ids_without_a_server_error(superuser):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    patterns = admin_patterns()
    assert len(patterns) > 100  # the walk found Wagtail's admin as well as ours
    failures = []
    for pattern in patterns:
        for url in urls_for(pattern):
            status = client.get(url).status_code
            if status >= 500:
                failures.append(f"{status} {url}")
    assert failures == []


def test_the_merchant_chooser_refuses_a_malformed_id(owner):
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    for value in ("abc", "99999999999999999999", "1.5"):
        response = client.get(f"/admin/archive/merchant-chooser/chosen/{value}/")
        assert response.status_code == 404


def test_deleting_a_user_named_in_the_audit_trail_is_refused_cleanly(superuser, owner):
    from merchants.audit import AuditEntry
    from tests.factories import MerchantFactory

    merchant = MerchantFactory()
    AuditEntry.objects.filter(pk__in=merchant.audit_entries()).update(actor=owner)
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(superuser)
    response = client.post(f"/admin/users/delete/{owner.pk}/", follow=True)
    assert response.status_code == 200
    assert "owner cannot be deleted: the audit trail and other records name them" in (
        response.content.decode()
    )
    assert type(owner).objects.filter(pk=owner.pk).exists()


def test_bulk_deleting_users_named_in_the_audit_trail_is_refused_cleanly(superuser, owner):
    from merchants.audit import AuditEntry
    from tests.factories import MerchantFactory

    merchant = MerchantFactory()
    AuditEntry.objects.filter(pk__in=merchant.audit_entries()).update(actor=owner)
    spare = UserFactory(username="spare")
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(superuser)
    response = client.post(
        f"/admin/bulk/auth/user/delete/?id={owner.pk}&id={spare.pk}", follow=True
    )
    assert response.status_code == 200
    assert "owner cannot be deleted" in response.content.decode()
    assert type(owner).objects.filter(pk__in=[owner.pk, spare.pk]).count() == 2


def test_a_user_nothing_names_can_still_be_deleted(superuser):
    spare = UserFactory(username="spare")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(superuser)
    client.post(f"/admin/users/delete/{spare.pk}/")
    assert not type(spare).objects.filter(pk=spare.pk).exists()

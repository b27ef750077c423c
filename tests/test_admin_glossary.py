"""The glossary in the staff admin: staff keep the English of archive values, never delete it."""

import datetime

import pytest
from django.utils import translation

from merchants.audit import AuditEntry
from merchants.models import GlossaryTerm
from tests.admin_pages import results
from tests.factories import InspectionFactory, MerchantFactory

pytestmark = pytest.mark.django_db

GLOSSARY = "/admin/archive/glossary/"
HOME = "/admin/"


@pytest.fixture(autouse=True)
def _english(english_browser):
    """These staff read the admin in English."""


@pytest.fixture
def term():
    return GlossaryTerm.objects.create(
        vocabulary="authority", source="某某街道办事处", english="Mou Sub-district Office"
    )


def form(term, **changes):
    data = {
        "vocabulary": term.vocabulary,
        "source": term.source,
        "english": term.english,
        "note": term.note,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("path", ["", "new/", "edit/{pk}/", "inspect/{pk}/"])
def test_outsider_is_refused(client, outsider, term, path):
    client.force_login(outsider)
    response = client.get(GLOSSARY + path.format(pk=term.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_outsider_cannot_change_a_term(client, outsider, term):
    client.force_login(outsider)
    client.post(GLOSSARY + f"edit/{term.pk}/", form(term, english="Changed"))
    term.refresh_from_db()
    assert term.english == "Mou Sub-district Office"


def test_member_reads_but_cannot_edit(client, member, term):
    client.force_login(member)
    assert "Mou Sub-district Office" in client.get(GLOSSARY).content.decode()
    response = client.get(GLOSSARY + f"edit/{term.pk}/")
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_owner_edits_a_term_with_an_audit_entry(client, owner, term):
    client.force_login(owner)
    response = client.post(GLOSSARY + f"edit/{term.pk}/", form(term, english="Mou Street Office"))
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.english == "Mou Street Office"
    entry = AuditEntry.objects.for_object(term).get(action="change")
    assert entry.actor == owner
    assert entry.after == {"english": "Mou Street Office"}


def test_an_edit_reaches_the_english_page_at_once(client, owner, term, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 4, tzinfo=datetime.UTC))
    shop = MerchantFactory()
    InspectionFactory(merchant=shop, authority="某某街道办事处")
    assert "Mou Sub-district Office" in client.get(f"/en/m/{shop.code}/").content.decode()
    client.force_login(owner)
    client.post(GLOSSARY + f"edit/{term.pk}/", form(term, english="Mou Street Office"))
    assert "Mou Street Office" in client.get(f"/en/m/{shop.code}/").content.decode()


def test_a_coded_vocabulary_takes_only_its_codes(client, owner):
    client.force_login(owner)
    response = client.post(
        GLOSSARY + "new/",
        {"vocabulary": "inspection_kind", "source": "双随机", "english": "random spot check"},
    )
    assert response.status_code == 200
    assert "Use one of the codes of this vocabulary: routine, random" in response.content.decode()
    assert not GlossaryTerm.objects.filter(source="双随机").exists()


def test_the_same_value_twice_in_a_vocabulary_is_refused(client, owner, term):
    client.force_login(owner)
    response = client.post(GLOSSARY + "new/", form(term, english="Another"))
    assert response.status_code == 200
    assert GlossaryTerm.objects.filter(source=term.source).count() == 1


def test_search_by_chinese_or_english(client, member, term):
    client.force_login(member)
    assert "Mou Sub-district Office" in results(client, GLOSSARY, {"q": "某某"})
    assert "Mou Sub-district Office" in results(client, GLOSSARY, {"q": "Sub-district"})


def test_no_delete_is_offered_or_possible(client, owner, term):
    client.force_login(owner)
    assert f"{GLOSSARY}delete/" not in client.get(GLOSSARY + f"edit/{term.pk}/").content.decode()
    assert client.post(GLOSSARY + f"delete/{term.pk}/").status_code == 404
    assert GlossaryTerm.objects.filter(pk=term.pk).exists()


def test_seeding_adds_what_is_missing_and_keeps_staff_edits():
    GlossaryTerm.objects.seed()
    edited = GlossaryTerm.objects.get(vocabulary="inspection_kind", source="random")
    edited.english = "unannounced check"
    edited.save()
    assert GlossaryTerm.objects.seed() == 0
    edited.refresh_from_db()
    assert edited.english == "unannounced check"


def test_a_coded_value_is_listed_with_its_built_in_wording(client, member):
    GlossaryTerm.objects.seed()
    client.force_login(member)
    html = results(client, GLOSSARY, {"q": "random spot"})
    assert "random" in html
    assert "random spot check" in html
    with translation.override("zh-hans"):
        term = GlossaryTerm.objects.get(vocabulary="inspection_kind", source="random")
        assert term.built_in_wording() == "双随机抽查"

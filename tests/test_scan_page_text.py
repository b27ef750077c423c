"""Editors write the words around every merchant page, per language, in Wagtail."""

import pytest
from wagtail.models import Locale

from cms.models import ScanPageText
from tests.factories import MerchantFactory

pytestmark = pytest.mark.django_db


def test_editor_text_appears_in_its_language_and_replaces_the_defaults(client):
    shop = MerchantFactory()
    en = Locale.objects.get(language_code="en")
    ScanPageText.objects.create(
        locale=en,
        complaint_help="<p>Call the Beijing Road office on 8888 8888.</p>",
        disclaimer="<p>Records come from the district platform.</p>",
    )

    english = client.get(f"/en/m/{shop.code}/").content.decode()
    chinese = client.get(f"/m/{shop.code}/").content.decode()

    assert "Beijing Road office" in english
    assert "Records come from the district platform." in english
    assert "Beijing Road office" not in chinese


def test_editing_the_text_drops_every_cached_page(client):
    shop = MerchantFactory()
    en = Locale.objects.get(language_code="en")
    text = ScanPageText.objects.create(locale=en, disclaimer="<p>First wording.</p>")
    assert "First wording." in client.get(f"/en/m/{shop.code}/").content.decode()

    text.disclaimer = "<p>Second wording.</p>"
    text.save()

    assert "Second wording." in client.get(f"/en/m/{shop.code}/").content.decode()


def test_the_snippet_is_editable_in_the_admin(admin_client):
    response = admin_client.get("/admin/snippets/cms/scanpagetext/")
    assert response.status_code == 200

"""Give every precinct in the archive a page, in Chinese and English, nested as precincts are."""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import ngettext
from wagtail.models import Locale

from cms.models import HomePage, PrecinctPage
from merchants.management.language import Command as LocalisedCommand
from merchants.models import Precinct


class Command(LocalisedCommand):
    help = __doc__

    @transaction.atomic
    def handle(self, *args, **options):
        zh = Locale.objects.get(language_code="zh-hans")
        en, _ = Locale.objects.get_or_create(language_code="en")
        home = HomePage.objects.get(locale=zh)
        home_en = home.get_translation_or_none(en)
        if home_en is None:
            home_en = home.copy_for_translation(en, copy_parents=True)
            home_en.title = "Chengxin · Public credit records"
            home_en.save_revision().publish()

        created = 0
        pages = {page.precinct_id: page for page in PrecinctPage.objects.filter(locale=zh)}
        # Parents first, so children can be placed beneath them.
        for precinct in sorted(Precinct.objects.all(), key=self.depth):
            if precinct.pk in pages:
                continue
            parent = pages.get(precinct.parent_id, home)
            page = PrecinctPage(
                title=precinct.name_zh,
                slug=precinct.slug,
                precinct=precinct,
                locale=zh,
            )
            parent.add_child(instance=page)
            page.save_revision().publish()
            pages[precinct.pk] = page
            translation = page.copy_for_translation(en)
            translation.title = precinct.name_en or precinct.name_zh
            translation.slug = slugify(precinct.slug)
            translation.save_revision().publish()
            created += 1
        self.stdout.write(
            ngettext(
                "Created %(count)d precinct page in each language.",
                "Created %(count)d precinct pages in each language.",
                created,
            )
            % {"count": created}
        )

    @staticmethod
    def depth(precinct):
        depth = 0
        while precinct.parent_id:
            precinct = precinct.parent
            depth += 1
        return depth

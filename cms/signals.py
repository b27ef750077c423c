"""Drop cached merchant pages when editors change the text or pages around them."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from merchants.models import GlossaryTerm, Merchant
from merchants.signals import archive_changed
from ratings.models import ReviewText

from . import page_cache, precinct_cache
from .models import PrecinctPage, ScanPageText


@receiver(post_save, sender=ScanPageText)
@receiver(post_save, sender=ReviewText)
def _text_changed(sender, **kwargs):
    page_cache.forget_all_now_and_after_commit()


@receiver(page_published, sender=PrecinctPage)
@receiver(page_unpublished, sender=PrecinctPage)
def _precinct_page_changed(sender, instance, **kwargs):
    """Merchant pages link to their precinct's page: a new, renamed or gone page changes them."""
    codes = list(
        Merchant.objects.filter(precinct=instance.precinct_id).values_list("code", flat=True)
    )
    page_cache.forget(codes)


@receiver(post_save, sender=GlossaryTerm)
def _glossary_changed(sender, **kwargs):
    """Every page may use the term: English words changed, so every page did."""
    page_cache.forget_all_now_and_after_commit()


@receiver(archive_changed)
def _ratings_or_archive_changed(sender, **kwargs):
    """A published round or any archive write may change a precinct page's figures."""
    precinct_cache.forget_all()


@receiver(page_published)
@receiver(page_unpublished)
def _public_page_changed(sender, **kwargs):
    precinct_cache.forget_all()

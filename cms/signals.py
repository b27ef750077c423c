"""Drop cached merchant pages when editors change the text around them."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from . import page_cache
from .models import ScanPageText


@receiver(post_save, sender=ScanPageText)
def _text_changed(sender, **kwargs):
    page_cache.forget_all_now_and_after_commit()

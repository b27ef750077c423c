"""File storage outside MEDIA_ROOT for files never served publicly (print batches, attachments).

The folder comes from a setting read on every use, not fixed when a model is
defined, so tests and deployments can move it; there is no public URL, and
files reach staff or their owner only through views that check who asks.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    def __init__(self, root_setting):
        super().__init__()
        self.root_setting = root_setting

    @property
    def base_location(self):
        return getattr(settings, self.root_setting)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

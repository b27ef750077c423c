"""Editor-written text kept once per language (Wagtail snippets with a locale).

The scan page's surrounding words (cms) and the reviews' privacy notice
(ratings) are both such texts; the queryset lives here, below both apps.
"""

from django.db import models


class EditorTextQuerySet(models.QuerySet):
    """For snippets holding one editor-written text per language."""

    def for_language(self, language_code):
        """The text for a language, or None so the page falls back to built-in wording."""
        return self.filter(locale__language_code=language_code).first()

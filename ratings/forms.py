"""The public review and report forms. They only clean input; models and views decide the rest."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import aspects
from .models import COMMENT_MAX_LENGTH, ReviewReport

# C0 and C1 control characters except tab and newline: invisible, and never meant.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def star_choices():
    return [
        (str(n), ngettext("%(count)s star", "%(count)s stars", n) % {"count": n})
        for n in range(1, 6)
    ]


class StarField(forms.TypedChoiceField):
    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        super().__init__(choices=star_choices, coerce=int, empty_value=None, **kwargs)


class ReviewForm(forms.Form):
    """Overall stars (required), the merchant's aspects (each optional) and a short comment."""

    overall = StarField(label=_("Overall"))
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("At most 500 characters. Please do not write names or phone numbers."),
    )

    def __init__(self, merchant, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.merchant = merchant
        self.aspect_names = aspects.for_merchant(merchant)
        comment = self.fields.pop("comment")
        for name in self.aspect_names:
            self.fields[name] = StarField(label=aspects.LABELS[name], required=False)
        self.fields["comment"] = comment

    def clean_comment(self):
        comment = self.cleaned_data["comment"].replace("\r\n", "\n").replace("\r", "\n")
        return _CONTROL.sub("", comment).strip()

    def star_fields(self):
        return [self[name] for name in ("overall", *self.aspect_names)]

    def review_fields(self):
        """Model field values: overall, comment and the merchant's aspects."""
        return {
            name: self.cleaned_data[name] for name in ("overall", *self.aspect_names, "comment")
        }


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this review?"),
        choices=ReviewReport.Reason.choices,
        widget=forms.RadioSelect,
    )

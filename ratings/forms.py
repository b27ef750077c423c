"""The public review and report forms. They only clean input; models and views decide the rest."""

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from merchants.models import Merchant

from . import aspects, phones, public_text
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
        if settings.REVIEW_PHONE_VERIFICATION:
            self.fields["phone"] = forms.CharField(
                label=_("Mobile number"),
                max_length=20,
                help_text=_(
                    "We send a code to this number. Only a keyed hash of it is kept; "
                    "it is never shown."
                ),
                widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            )
            self.fields["code"] = forms.CharField(
                label=_("Code from the text message"),
                required=False,
                max_length=phones.CODE_DIGITS,
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}
                ),
            )

    def clean_phone(self):
        number = phones.normalise(self.cleaned_data["phone"])
        if number is None:
            raise forms.ValidationError(
                _("Enter a mainland China mobile number: 11 digits starting with 1.")
            )
        return number

    def clean_code(self):
        return self.cleaned_data["code"].strip()

    def phone_fields(self):
        return [self[name] for name in ("phone", "code") if name in self.fields]

    def clean_comment(self):
        return public_text.plain(self.cleaned_data["comment"]).strip()

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


# -- Star rating admin ------------------------------------------------------------------------


class SchemeForm(forms.Form):
    """A scheme's whole definition as YAML or JSON: the same format as ``load_scheme`` reads."""

    definition = forms.CharField(
        label=_("Definition (YAML or JSON)"),
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "w-font-mono"}),
        help_text=_(
            "Slug, names, year, precinct, association, base, aspects with indicators, levels, "
            "caps and vetoes. The format is described in docs/ratings.md."
        ),
    )

    def __init__(self, *args, slug=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.slug = slug

    def clean_definition(self):
        from django.core.exceptions import ValidationError

        from .definitions import Definition

        definition = Definition.from_text(self.cleaned_data["definition"])
        if self.slug and definition.slug != self.slug:
            raise ValidationError(_("The slug of a scheme cannot change; load a new scheme."))
        return definition


class VetoForm(forms.Form):
    """A veto the association enters: the member by credit code, the kind, reason and evidence."""

    code = forms.CharField(label=_("Credit code of the member"), max_length=18)
    kind = forms.ChoiceField(label=_("Kind"))
    decided_on = forms.DateField(label=_("Decided on"), help_text=_("YYYY-MM-DD"))
    reason = forms.CharField(label=_("Reason (shown on the exposure board)"), widget=forms.Textarea)
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds


class ReasonForm(forms.Form):
    """The reason for a withdrawal or a revision, kept in the audit trail."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class PlaqueMerchantsForm(forms.Form):
    """Which members to print plaques for: blank for every 4- and 5-star member."""

    codes = forms.CharField(
        label=_("Only these merchants (credit codes, one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave blank to print a plaque for every member with 4 or 5 stars."),
    )

    def clean(self):
        given = [
            code for code in re.split(r"[\s,;，；、]+", self.cleaned_data.get("codes", "")) if code
        ]
        lookups = [Merchant.objects.lookup(code) for code in given[:500]]
        problems = [f"{item.given}: {item.problem}" for item in lookups if item.problem]
        if problems:
            raise forms.ValidationError(problems)
        codes = list(dict.fromkeys(item.code for item in lookups))
        found = {merchant.code: merchant for merchant in Merchant.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(
                _("No merchant has these codes: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        self.cleaned_data["merchants"] = [found[code] for code in codes]
        return self.cleaned_data

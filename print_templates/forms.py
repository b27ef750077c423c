"""Staff forms: what to print, and why a placard is revoked."""

import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from merchants.models import Merchant, Precinct

from . import layouts
from .models import PrintJob


class PrintJobForm(forms.ModelForm):
    template = forms.ChoiceField(label=_("Template"), choices=layouts.choices)
    precinct = forms.ModelChoiceField(
        label=_("Precinct"),
        queryset=Precinct.objects.all(),
        required=False,
        help_text=_("Every merchant in it, including markets nested in it."),
    )
    codes = forms.CharField(
        label=_("Or merchant credit codes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One or more codes, separated by spaces, commas or new lines."),
    )
    reprint = forms.TypedChoiceField(
        label=_("New placards or a reprint"),
        choices=[
            ("", _("Issue new placards: those on display show as outdated when scanned")),
            ("1", _("Reprint the placards on display with the same serials (worn placards)")),
        ],
        coerce=bool,
        empty_value=False,
        required=False,
        widget=forms.RadioSelect,
        initial="",
    )
    #: Set by the preview step: the job it previewed, so a changed form is previewed again.
    confirm = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["template", "precinct", "codes", "reprint"]

    class Meta:
        model = PrintJob
        fields = ["template", "precinct", "reprint"]

    def fingerprint(self):
        """A short digest of what is to be printed; the preview's confirmation must match it."""
        job = self.instance
        text = "|".join(
            [
                str(job.template),
                str(job.precinct_id or ""),
                ",".join(job.merchant_codes),
                str(sorted(job.data.items())),
                "1" if job.reprint else "",
            ]
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def is_confirmed(self):
        return self.cleaned_data.get("confirm") == self.fingerprint()

    def clean_codes(self):
        codes = []
        for raw in self.cleaned_data["codes"].replace(",", " ").split():
            lookup = Merchant.objects.lookup(raw)
            if lookup.problem:
                raise ValidationError(
                    _("%(code)s: %(problem)s") % {"code": lookup.code, "problem": lookup.problem}
                )
            codes.append(lookup.code)
        unknown = sorted(
            set(codes) - set(Merchant.objects.filter(code__in=codes).values_list("code", flat=True))
        )
        if unknown:
            raise ValidationError(
                _("No merchant has the code %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return list(dict.fromkeys(codes))

    def clean(self):
        cleaned = super().clean()
        precinct, codes = cleaned.get("precinct"), cleaned.get("codes")
        if precinct and codes:
            raise ValidationError(_("Choose a precinct or give codes, not both."))
        if not precinct and not codes and "codes" not in self.errors:
            raise ValidationError(_("Choose a precinct or give merchant codes."))
        template = cleaned.get("template")
        if template:
            layout = layouts.get(template)
            if layout.issued_by_caller:
                self.add_error("template", layout.refusal)
            else:
                self.instance.data = layout.clean_data({})
        self.instance.merchant_codes = codes or []
        return cleaned


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the audit trail; the public only sees that it is no longer valid."),
    )

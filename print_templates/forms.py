"""Staff forms: what to print, and why a placard is revoked."""

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

    class Meta:
        model = PrintJob
        fields = ["template", "precinct"]

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

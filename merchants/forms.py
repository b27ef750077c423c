"""Staff admin forms for the credit archive. They only clean input; the models decide."""

from functools import reduce
from operator import or_

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.forms.models import WagtailAdminModelForm

from .models import CreditRecord, Penalty

#: What staff type to find a merchant: its code, either name or its stall number.
MERCHANT_SEARCH_FIELDS = ("code", "name_zh", "name_en", "stall")


class PenaltyAdminForm(WagtailAdminModelForm):
    """Penalty types as checkboxes instead of raw JSON; Penalty.clean judges the choice."""

    penalty_types = forms.MultipleChoiceField(
        label=capfirst(_("penalty types")),
        choices=Penalty.Type.choices,
        widget=forms.CheckboxSelectMultiple,
        # Not required here so that Penalty.clean gives its own message for none.
        required=False,
    )


class WithdrawalForm(forms.Form):
    """How and why a record is withdrawn; CreditRecord.withdraw enforces the rules.

    For a penalty the credit-repair choice says from when it is possible, so
    staff see it before they submit rather than in the error afterwards.
    """

    kind = forms.ChoiceField(
        label=capfirst(_("kind of withdrawal")),
        choices=CreditRecord.WithdrawalKind.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=capfirst(_("reason for withdrawal")),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Kept in the audit trail and on the record for staff; the public no longer sees it."
        ),
    )

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        repairable_from = getattr(record, "repairable_from", None)
        if repairable_from is not None:
            labels = dict(CreditRecord.WithdrawalKind.choices)
            repair = CreditRecord.WithdrawalKind.REPAIR
            labels[repair] = _("credit repair (possible from %(date)s)") % {
                "date": repairable_from.isoformat()
            }
            self.fields["kind"].choices = list(labels.items())


class MerchantChooserFilterForm(BaseFilterForm):
    """Search merchants in the chooser by code, name or stall without a search index."""

    q = forms.CharField(
        label=_("Search term"),
        widget=forms.TextInput(attrs={"placeholder": _("Credit code, name or stall")}),
        required=False,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = self.cleaned_data.get("q")
        if query:
            objects = objects.filter(
                reduce(or_, (Q(**{f"{name}__icontains": query}) for name in MERCHANT_SEARCH_FIELDS))
            )
            self.is_searching = True
            self.search_query = query
        return objects

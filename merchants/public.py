"""What the public may see of one merchant on one day, and the headline facts from it."""

from dataclasses import dataclass, field

from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Worst first: the headline licence is the one a visitor must know about.
_STATUS_ORDER = ["revoked", "suspended", "expired", "expiring", "valid"]
_BLACK_LIST_ORDER = ["exposure_board", "serious_dishonesty", "abnormal_operation"]


@dataclass(frozen=True)
class Verdict:
    """The one plain-language line a visitor reads first.

    ``kind`` names the archive fact it comes from (``licence_revoked``,
    ``licence_suspended``, ``licence_expired``, ``no_licence``, ``black_list``,
    ``exposure_board``, ``failed_inspection``, ``public_penalty``, ``clean``);
    ``tone`` is ``bad``, ``warn`` or ``good``; ``text`` is in the active language.
    """

    kind: str
    tone: str
    text: str


@dataclass
class PublicArchive:
    merchant: object
    day: object
    licences: list = field(default_factory=list)
    inspections: list = field(default_factory=list)
    penalties: list = field(default_factory=list)
    list_entries: list = field(default_factory=list)

    @cached_property
    def key_licence(self):
        """The practising licence for a clinic, else the worst-status licence, else None.

        Only the latest licence of each kind counts: a renewed licence's
        expired predecessor stays in the list below, not in the verdict.
        """
        standing = type(self.licences[0]).standing(self.licences) if self.licences else []
        if not standing:
            return None
        if self.merchant.is_clinic:
            practising = [lic for lic in standing if lic.kind == "medical_practice"]
            if practising:
                return min(practising, key=lambda lic: _STATUS_ORDER.index(lic.status_on(self.day)))
        return min(standing, key=lambda lic: _STATUS_ORDER.index(lic.status_on(self.day)))

    @property
    def last_inspection(self):
        return self.inspections[0] if self.inspections else None

    @property
    def black_list_entry(self):
        """The black-list entry in force that weighs most (the exposure board first), or None."""
        black = [entry for entry in self.list_entries if entry.colour == "black"]
        if not black:
            return None
        return min(
            black,
            key=lambda entry: (
                _BLACK_LIST_ORDER.index(entry.list_name)
                if entry.list_name in _BLACK_LIST_ORDER
                else len(_BLACK_LIST_ORDER),
                -entry.listed_on.toordinal(),
            ),
        )

    @property
    def last_updated(self):
        """When any public fact about this merchant last changed."""
        stamps = [self.merchant.updated_at]
        for records in (self.licences, self.inspections, self.penalties, self.list_entries):
            stamps.extend(record.updated_at for record in records)
        return max(stamps)

    def verdict(self):
        """The worst public fact as one sentence; "licensed, inspected, no penalties" if none.

        Worst first: a licence that forbids trading (revoked, suspended,
        expired, or none on record), then a black-list entry (the exposure board
        first), a failed last inspection, public penalties. Reads only what
        ``public_archive`` already loaded: no query.
        """
        clinic = self.merchant.is_clinic
        licence = self.key_licence
        status = licence.status_on(self.day) if licence else None
        licence_name = capfirst(licence.get_kind_display()) if licence else ""
        if status == "revoked":
            text = (
                _("%(licence)s revoked: this clinic may not treat patients.")
                if clinic
                else _("%(licence)s revoked: this business may not trade.")
            )
            return Verdict("licence_revoked", "bad", text % {"licence": licence_name})
        if status == "suspended":
            text = (
                _("%(licence)s suspended: this clinic may not treat patients until it is restored.")
                if clinic
                else _("%(licence)s suspended: this business may not trade until it is restored.")
            )
            return Verdict("licence_suspended", "bad", text % {"licence": licence_name})
        if status == "expired":
            text = (
                _("%(licence)s expired on %(date)s: this clinic may not treat patients.")
                if clinic
                else _(
                    "%(licence)s expired on %(date)s: this business may not trade until renewed."
                )
            )
            return Verdict(
                "licence_expired",
                "bad",
                text % {"licence": licence_name, "date": licence.expires_on.isoformat()},
            )
        if licence is None:
            text = (
                _("No practising licence on record: ask to see it before treatment.")
                if clinic
                else _("No licence on record: ask the business to show it.")
            )
            return Verdict("no_licence", "bad", text)
        entry = self.black_list_entry
        if entry is not None:
            date = entry.listed_on.isoformat()
            if entry.list_name == "exposure_board":
                text = _("On the exposure board since %(date)s: %(reason)s") % {
                    "date": date,
                    "reason": entry.reason,
                }
                return Verdict("exposure_board", "bad", text)
            text = _("On the %(list)s black list since %(date)s: %(reason)s") % {
                "list": entry.get_list_name_display(),
                "date": date,
                "reason": entry.reason,
            }
            return Verdict("black_list", "bad", text)
        inspection = self.last_inspection
        if inspection is not None and inspection.result == "fail":
            text = _("Failed its last inspection on %(date)s (%(authority)s).") % {
                "date": inspection.inspected_on.isoformat(),
                "authority": inspection.authority,
            }
            return Verdict("failed_inspection", "bad", text)
        if self.penalties:
            latest = self.penalties[0]
            text = ngettext(
                "%(count)d public penalty, the latest decided on %(date)s: %(violation)s",
                "%(count)d public penalties, the latest decided on %(date)s: %(violation)s",
                len(self.penalties),
            ) % {
                "count": len(self.penalties),
                "date": latest.decided_on.isoformat(),
                "violation": latest.violation,
            }
            return Verdict("public_penalty", "warn", text)
        if inspection is None:
            text = _("Licensed, no inspection on record yet, no public penalties.")
        else:
            days = inspection.days_ago(self.day)
            text = ngettext(
                "Licensed, inspected %(days)d day ago, no public penalties.",
                "Licensed, inspected %(days)d days ago, no public penalties.",
                days,
            ) % {"days": days}
        if status == "expiring":
            text = f"{text} " + _("The licence expires on %(date)s.") % {
                "date": licence.expires_on.isoformat()
            }
            return Verdict("clean", "warn", text)
        return Verdict("clean", "good", text)

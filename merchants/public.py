"""What the public may see of one merchant on one day, and the headline facts from it."""

from dataclasses import dataclass, field

from django.utils.functional import cached_property

# Worst first: the headline licence is the one a visitor must know about.
_STATUS_ORDER = ["revoked", "suspended", "expired", "expiring", "valid"]


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
        """The practising licence for a clinic, else the worst-status licence, else None."""
        if not self.licences:
            return None
        if self.merchant.is_clinic:
            practising = [lic for lic in self.licences if lic.kind == "medical_practice"]
            if practising:
                return min(practising, key=lambda lic: _STATUS_ORDER.index(lic.status_on(self.day)))
        return min(self.licences, key=lambda lic: _STATUS_ORDER.index(lic.status_on(self.day)))

    @property
    def last_inspection(self):
        return self.inspections[0] if self.inspections else None

    @property
    def last_updated(self):
        """When any public fact about this merchant last changed."""
        stamps = [self.merchant.updated_at]
        for records in (self.licences, self.inspections, self.penalties, self.list_entries):
            stamps.extend(record.updated_at for record in records)
        return max(stamps)

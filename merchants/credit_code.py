"""The unified social credit code (统一社会信用代码, GB 32100-2015).

Eighteen characters from a 31-symbol alphabet; the last is a check character
computed from the first seventeen with weights 3^(i-1) mod 31.
"""

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]
LENGTH = 18


def check_character(first_seventeen):
    total = sum(
        VALUES[symbol] * weight for symbol, weight in zip(first_seventeen, WEIGHTS, strict=True)
    )
    return ALPHABET[(31 - total % 31) % 31]


def normalise(raw):
    """Upper-case and strip a code as people type or paste it."""
    return (raw or "").strip().upper()


def problem(code):
    """Return why ``code`` is not a valid credit code, or None when it is."""
    if len(code) != LENGTH:
        return _("A credit code has 18 characters; this one has %(count)d.") % {"count": len(code)}
    bad = sorted({symbol for symbol in code if symbol not in VALUES})
    if bad:
        return _("A credit code cannot contain %(symbols)s.") % {"symbols": ", ".join(bad)}
    if check_character(code[:17]) != code[17]:
        return _("The check character (the 18th) does not match; the code is mistyped.")
    return None


def is_valid(code):
    return problem(code) is None


def validate_credit_code(value):
    reason = problem(value)
    if reason:
        raise ValidationError(reason, code="invalid_credit_code")


def complete(first_seventeen):
    """Append the check character; used to mint fictional demo codes."""
    return first_seventeen + check_character(first_seventeen)


class Lookup:
    """A credit code as someone typed, pasted or scanned it: normalised, checked, then found.

    The one path from a given code to a merchant, shared by every view and form
    (``Merchant.objects.lookup(given)``). The merchant is fetched only when
    asked for, so a cached page can be served from the code alone.
    """

    def __init__(self, given, queryset):
        self.given = given or ""
        self.code = normalise(self.given)
        self.problem = problem(self.code)
        # A queryset, or a function returning one: the hot path (a cached page)
        # never needs the merchant, so it need not build a queryset either.
        self._queryset = queryset

    @property
    def is_canonical(self):
        """Whether the code was given exactly as stored (else redirect to that form)."""
        return self.given == self.code

    @cached_property
    def merchant(self):
        """The merchant with this code, or None when the code is malformed or unknown."""
        if self.problem:
            return None
        queryset = self._queryset() if callable(self._queryset) else self._queryset
        return queryset.filter(code=self.code).first()

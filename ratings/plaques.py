"""Star plaques follow the published rating: issued, outdated or withdrawn on publication.

``print_templates`` never imports this app: a plaque is told its level. When a
round is published, ``follow(round_)`` issues a plaque for every 4- or
5-star member that has none showing this level and year (one print job per
precinct), marks outdated the plaques whose level no longer holds, and
withdraws those of vetoed members. ``reprint`` is the round's "print
plaques" action: fresh plaques for eligible members who lost theirs.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from print_templates import tasks
from print_templates.layouts import star_plaque
from print_templates.models import Placard, PrintJob

from .definitions import Status, localized_name

TEMPLATE = star_plaque.layout.name
PLAQUE_STARS = star_plaque.PLAQUE_STARS


def is_eligible(status, stars):
    """A plaque is awarded to a rated (not vetoed) member with 4 or 5 stars."""
    return status == Status.RATED and stars in PLAQUE_STARS


def level_words(result):
    """The level a result gives, as the public reads it ("4 stars", "vetoed", "not rated")."""
    if result is None:
        return _("not rated")
    if result.status == Status.VETOED:
        return _("vetoed (no stars)")
    level = result.level_info
    if level is None:
        return _("not rated")
    return localized_name(level)


def _plaque_data(round_, stars, level):
    return {
        "stars": stars,
        "year": round_.rules.year,
        "level": level,
        "round": round_.pk,
        # Which rating awarded it: only a later round over the same precinct may outdate it.
        "precinct": round_.scheme.precinct_id,
    }


def awards_plaques(round_):
    """A scheme awards plaques when it has 4- or 5-star levels (a district grade has none)."""
    return any(level.stars in PLAQUE_STARS for level in round_.rules.levels)


def _results(round_, merchant_ids=None):
    results = round_.results.values_list(
        "merchant_id", "merchant__precinct_id", "status", "stars", "level"
    )
    if merchant_ids is not None:
        results = results.filter(merchant_id__in=merchant_ids)
    return list(results)


def _issue(round_, eligible, user, enqueue=True):
    """Issue plaques for [(merchant id, precinct id, stars, level)], one print job per precinct."""
    by_precinct = defaultdict(list)
    for row in eligible:
        by_precinct[row[1]].append(row)
    jobs = []
    for rows in by_precinct.values():
        job = PrintJob.objects.create(
            template=TEMPLATE,
            data={"year": round_.rules.year, "round": round_.pk},
            requested_by=user,
        )
        placards = Placard.objects.issue(
            [merchant_id for merchant_id, *_rest in rows],
            TEMPLATE,
            print_job=job,
            per_merchant={
                merchant_id: _plaque_data(round_, stars, level)
                for merchant_id, _precinct, stars, level in rows
            },
        )
        job.merchant_codes = [placard.merchant.code for placard in placards]
        job.total = len(placards)
        job.save(update_fields=["merchant_codes", "total"])
        if enqueue:
            transaction.on_commit(lambda pk=job.pk: tasks.print_job.enqueue(pk))
        jobs.append(job)
    return jobs


def follow(round_, user=None):
    """Make the plaques on display agree with ``round_``, just published.

    Only plaques awarded by a rating of the same precinct are touched: a
    district-wide grade with no stars neither issues nor outdates a market's
    plaques. Returns {"issued": print jobs, "outdated": n, "withdrawn": n}.
    """
    if not awards_plaques(round_):
        return {"issued": [], "outdated": 0, "withdrawn": 0}
    results = _results(round_)
    members = [row[0] for row in results]
    showing = {
        placard.merchant_id: placard
        for placard in Placard.objects.current()
        .filter(
            template=TEMPLATE,
            merchant_id__in=members,
            data__precinct=round_.scheme.precinct_id,
        )
        .only("pk", "merchant_id", "data")
    }
    year = round_.rules.year
    eligible, outdated, withdrawn = [], [], []
    for merchant_id, precinct_id, status, stars, level in results:
        plaque = showing.get(merchant_id)
        if is_eligible(status, stars):
            shows = plaque.data if plaque else {}
            if shows.get("stars") != stars or shows.get("year") != year:
                eligible.append((merchant_id, precinct_id, stars, level))
        elif plaque is not None and status == Status.VETOED:
            withdrawn.append(plaque)
        elif plaque is not None:
            outdated.append(plaque.pk)
    with transaction.atomic():
        jobs = _issue(round_, eligible, user) if eligible else []
        if outdated:
            Placard.objects.filter(pk__in=outdated).supersede(
                _("The published rating of %(year)d no longer awards this plaque.") % {"year": year}
            )
        for plaque in withdrawn:
            plaque.revoke(
                _("Withdrawn after a one-vote veto in the %(year)d rating.") % {"year": year},
                user,
            )
    return {"issued": jobs, "outdated": len(outdated), "withdrawn": len(withdrawn)}


def eligible_counts(round_):
    """{precinct id: members with a 4- or 5-star result in ``round_``}: one plaque job each."""
    counts = defaultdict(int)
    for _merchant, precinct_id, status, stars, _level in _results(round_):
        if is_eligible(status, stars):
            counts[precinct_id] += 1
    return dict(counts)


def refusals(round_, merchant_ids):
    """{merchant id: why ``round_`` prints that merchant no plaque}, for the refused of these.

    The reason names what the round gave: "not in this round", "vetoed (no
    stars)", "not rated" or the level below four stars.
    """
    rows = {row[0]: row for row in _results(round_, merchant_ids)}
    refused = {}
    for merchant_id in merchant_ids:
        row = rows.get(merchant_id)
        if row is None:
            refused[merchant_id] = _("not in this round")
        elif not is_eligible(row[2], row[3]):
            level = round_.rules.level(row[4]) if row[4] else None
            if row[2] == Status.VETOED:
                words = _("vetoed (no stars)")
            elif row[2] != Status.RATED or level is None:
                words = _("not rated")
            else:
                words = localized_name(level)
            refused[merchant_id] = _("%(level)s in this round: a plaque needs 4 or 5 stars") % {
                "level": words
            }
    return refused


def reprint(round_, merchant_ids=None, user=None, enqueue=True):
    """The round's "print plaques" action: fresh plaques for its eligible members.

    Each supersedes the member's earlier plaque (a lost or damaged one stops
    vouching). Refuses members without a published 4- or 5-star result.
    """
    if round_.status != round_.Status.PUBLISHED:
        raise ValidationError(_("Plaques are printed from the published round only."))
    rows = _results(round_, merchant_ids)
    refused = [row[0] for row in rows if not is_eligible(row[2], row[3])]
    if merchant_ids is not None:
        refused += sorted(set(merchant_ids) - {row[0] for row in rows})
    if refused and merchant_ids is not None:
        raise ValidationError(
            _(
                "No plaque for %(count)d of these merchants: a plaque needs a published "
                "4- or 5-star result in this round."
            )
            % {"count": len(refused)}
        )
    eligible = [
        (merchant_id, precinct_id, stars, level)
        for merchant_id, precinct_id, status, stars, level in rows
        if is_eligible(status, stars)
    ]
    with transaction.atomic():
        return _issue(round_, eligible, user, enqueue)

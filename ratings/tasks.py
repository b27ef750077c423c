"""Background work of the ratings app (django-tasks: inline in the demo and tests, a
database queue and ``manage.py db_worker`` in production): rating rounds, and mail
to merchants about new reviews."""

import logging

from django.contrib.auth import get_user_model
from django_tasks import task

from merchants import mail
from merchants.audit import acting_as

from . import computation
from .models import Review
from .rounds import Round

logger = logging.getLogger(__name__)


@task()
def run_round(round_id, user_id=None):
    """Compute one round; a round another worker is running is left alone."""
    round_ = Round.objects.select_related("scheme").get(pk=round_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        with acting_as(user, "admin"):
            return computation.run(round_, user=user)
    except computation.RoundBusy:
        logger.info("Round %s is busy or frozen; not run", round_id)
        return None


@task()
def mail_new_review(review_id):
    """A new published review: every portal account of the merchant, in its language."""
    review = Review.objects.select_related("merchant").get(pk=review_id)
    if not review.is_public:
        return 0
    return mail.send_to_accounts(review.merchant, "ratings/mail/new_review", {"review": review})

"""Rating rounds run in the background (django-tasks: inline in the demo and tests, a
database queue and ``manage.py db_worker`` in production)."""

import logging

from django.contrib.auth import get_user_model
from django_tasks import task

from merchants.audit import acting_as

from . import computation
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

"""Notifications to merchants, sent as background tasks (django-tasks).

Each task takes primary keys, loads what it needs and mails every account of
the merchant in its own language (``mail``). Inline in the demo and tests; a
database queue and ``manage.py db_worker`` in production.
"""

from django.apps import apps
from django_tasks import task

from . import mail
from .accounts import Invitation
from .models import Licence


@task()
def mail_invitation(invitation_id, token):
    """The invitation link, to the address staff gave."""
    invitation = Invitation.objects.select_related("merchant").get(pk=invitation_id)
    link = mail.portal_url("portal:invitation", invitation.language, [token])
    return mail.send(
        "merchants/mail/invitation",
        invitation.email,
        invitation.language,
        {"merchant": invitation.merchant, "link": link, "expires_at": invitation.expires_at},
    )


@task()
def mail_decision(model_label, pk):
    """A decision on an objection or repair application, with its reasons."""
    request = apps.get_model(model_label).objects.select_related("merchant").get(pk=pk)
    return mail.send_to_accounts(request.merchant, "merchants/mail/decision", {"request": request})


@task()
def mail_expiring_licence(licence_id):
    licence = Licence.objects.select_related("merchant").get(pk=licence_id)
    return mail.send_to_accounts(
        licence.merchant, "merchants/mail/licence_expiring", {"licence": licence}
    )

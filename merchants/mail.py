"""Mail to merchants: one message per recipient, in that recipient's language.

Messages are plain text rendered from ``<app>/mail/<name>_subject.txt`` and
``<name>.txt`` under the recipient's language, and sent through Django's mail
API (the console backend in the demo, SMTP in production). Callers run this
from background tasks, never in a request.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def portal_url(name, language, args=()):
    """An absolute portal address in ``language`` (Chinese unprefixed, English under /en/)."""
    with translation.override(language):
        return absolute(reverse(name, args=args))


def send(template, email, language, context):
    """Render and send one message; returns how many were sent (0 without an address)."""
    if not email:
        return 0
    with translation.override(language):
        context = {**context, "language": language}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])


def send_to_accounts(merchant, template, context):
    """Send to every portal account of ``merchant``, each in its own language."""
    sent = 0
    for account in merchant.accounts.select_related("user").filter(user__is_active=True):
        link = portal_url("portal:business", account.language, [merchant.code])
        context = {"merchant": merchant, "link": link, **context}
        sent += send(template, account.user.email, account.language, context)
    return sent

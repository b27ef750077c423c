"""Background printing through the task framework Wagtail 8 brings (django-tasks)."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django_tasks import task

from merchants.audit import acting_as

from . import pdf
from .models import PrintJob

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 100


def run(job, progress=None):
    """Issue the job's placards and render them; returns the PDF bytes.

    Shared by the task and the command so both print exactly the same way.
    Issuing and rendering share one transaction: if the PDF cannot be made, the
    new placards are not issued and the ones on display are not marked outdated.
    """

    def step(done):
        if done % PROGRESS_EVERY == 0 or done == job.total:
            job.record_progress(done)
        if progress is not None:
            progress(done)

    with transaction.atomic():
        placards = job.issue()
        # Only now is the job's size known.
        return pdf.render(
            placards.iterator(chunk_size=500),
            job.template,
            progress=step,
            workers=job.render_workers(),
            total=job.total,
        )


@task()
def print_job(job_id):
    """Print one job; a job already claimed by another worker is left alone."""
    job = PrintJob.objects.get(pk=job_id)
    if not job.claim():
        return None
    try:
        with acting_as(job.requested_by, "admin"):
            content = run(job)
    except Exception as error:
        logger.exception("Print job %s failed", job_id)
        job.finish(error=f"{type(error).__name__}: {error}")
        raise
    job.finish(content=ContentFile(content))
    return job.pk

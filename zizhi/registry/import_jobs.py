"""Running a confirmed import in a background thread (settings.ZIZHI_BACKGROUND_JOBS)."""

import logging
import threading

from django.contrib.auth import get_user_model
from django.db import connections

from . import actions
from .models import ImportJob

logger = logging.getLogger(__name__)


def start(job: ImportJob, actor) -> threading.Thread:
    thread = threading.Thread(
        target=_run, args=(job.pk, actor.pk), name=f"roster-import-{job.pk}", daemon=True
    )
    thread.start()
    return thread


def _run(job_id: int, actor_id: int) -> None:
    try:
        job = ImportJob.objects.select_related("community").get(pk=job_id)
        actor = get_user_model().objects.get(pk=actor_id)
        actions.do_import_residents(job, actor=actor)
    except Exception:
        # do_import_residents has marked the job failed with a message for the worker.
        logger.exception("background roster import %s failed", job_id)
    finally:
        connections.close_all()

"""Generating a requested monthly report: in a background thread when
settings.ZIZHI_BACKGROUND_JOBS (as roster imports), inline otherwise (tests, scripts)."""

import logging
import threading

from django.conf import settings
from django.db import connections

from . import actions
from .models import MonthlyReport

logger = logging.getLogger(__name__)


def start(report: MonthlyReport) -> threading.Thread | None:
    if not settings.ZIZHI_BACKGROUND_JOBS:
        actions.run_report(report.pk)
        return None
    thread = threading.Thread(
        target=_run, args=(report.pk,), name=f"monthly-report-{report.pk}", daemon=True
    )
    thread.start()
    return thread


def _run(report_id: int) -> None:
    try:
        actions.run_report(report_id)
    except Exception:
        # run_report marks the report failed itself; this is a failure to even read it
        logger.exception("background monthly report %s failed", report_id)
    finally:
        connections.close_all()

"""Who may see a monthly report: whoever may see its scope's dashboard (scope.get_scope).
Missing and not yours answer 404 alike."""

from django.db.models import QuerySet
from django.http import Http404

from .models import MonthlyReport
from .scope import Scope, get_scope

REPORT_KINDS = ("community", "subdistrict")


def get_report_for(user, pk) -> MonthlyReport:
    report = (
        MonthlyReport.objects.select_related("community", "subdistrict", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    get_scope(user, report.kind, report.code)
    return report


def get_report_scope(user, kind: str, code: str) -> Scope:
    if kind not in REPORT_KINDS:
        raise Http404
    return get_scope(user, kind, code)


def reports_of(kind: str, code: str) -> QuerySet:
    """The kept reports of a scope (checked by the caller), the latest first."""
    return (
        MonthlyReport.objects.filter(**{f"{kind}__code": code})
        .select_related("community", "subdistrict", "requested_by")
        .order_by("-created_at", "-pk")
    )

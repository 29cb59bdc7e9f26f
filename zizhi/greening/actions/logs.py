"""The maintenance log: adopters record upkeep, workers record inspections."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zizhi.audit.log import record

from ..access import can_log_upkeep
from ..files import check_photo
from ..models import Adoption, AdoptionStatus, InspectionResult, LogKind, Plot, UpkeepLog
from .common import day, not_future, require_staff, text


def _summary(log: UpkeepLog) -> dict:
    return {
        "plot": log.plot_id,
        "adoption": log.adoption_id,
        "kind": log.kind,
        "done_on": log.done_on.isoformat(),
        "text": log.text,
        "result": log.result,
        "photo": bool(log.photo),
    }


def _photo(upload) -> tuple:
    if upload is None:
        return None, ""
    content_type, suffix = check_photo(upload)
    upload.name = f"log{suffix}"
    return upload, content_type


def do_log_upkeep(adoption: Adoption, *, actor, done_on, text_: str, photo=None) -> UpkeepLog:
    """An adopter's record of upkeep (watering, weeding, pruning…) with an optional photo."""
    if actor is None or not can_log_upkeep(actor, adoption):
        raise PermissionDenied(_("只有认领人可以记录养护"))
    done = not_future(day(done_on, _("日期")), _("日期"))
    what = text(text_, 300, _("做了什么"), required=True)
    upload, content_type = _photo(photo)
    with transaction.atomic():
        adoption = Adoption.objects.select_for_update().get(pk=adoption.pk)
        if adoption.status != AdoptionStatus.ACTIVE:
            raise ValidationError(_("这份认领已经不在认领期内，不能再记录养护"))
        if done < adoption.starts_on:
            raise ValidationError(_("日期不能早于认领开始的日期"))
        log = UpkeepLog(
            community_id=adoption.community_id,
            plot_id=adoption.plot_id,
            adoption=adoption,
            kind=LogKind.UPKEEP,
            done_on=done,
            text=what,
            recorded_by=actor,
        )
        if upload is not None:
            log.photo, log.photo_type = upload, content_type
        log.save()
        record(actor, "greening.log_upkeep", log, community=adoption.community, after=_summary(log))
    return log


def do_record_inspection(
    plot: Plot, *, actor, done_on, text_: str, result: str, photo=None
) -> UpkeepLog:
    """A worker's inspection of a plot: good, or needs care (with what was seen)."""
    require_staff(plot.community_id, actor)
    done = not_future(day(done_on, _("日期")), _("日期"))
    what = text(text_, 300, _("巡查情况"), required=True)
    if result not in InspectionResult.values:
        raise ValidationError(_("请选择巡查结果"))
    upload, content_type = _photo(photo)
    with transaction.atomic():
        active = plot.adoptions.filter(status=AdoptionStatus.ACTIVE).first()
        log = UpkeepLog(
            community_id=plot.community_id,
            plot=plot,
            adoption=active,
            kind=LogKind.INSPECTION,
            done_on=done,
            text=what,
            result=result,
            recorded_by=actor,
        )
        if upload is not None:
            log.photo, log.photo_type = upload, content_type
        log.save()
        record(
            actor, "greening.record_inspection", log, community=plot.community, after=_summary(log)
        )
    return log

"""Plots on the community's plan: create, edit, move between states, photos, care rule."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zizhi.audit.log import record

from ..files import check_photo
from ..models import CareSetting, Plot, PlotKind, PlotPhoto, PlotState, check_plot_move
from .common import require_staff, text

MAX_AREA = Decimal("1000000")


def summary(plot: Plot) -> dict:
    return {
        "name": plot.name,
        "zone": plot.zone,
        "location": plot.location,
        "area_m2": str(plot.area_m2),
        "kind": plot.kind,
        "state": plot.state,
    }


def clean_plot(fields: dict) -> dict:
    """Checked plot fields; one ValidationError listing every problem."""
    errors, out = [], {}
    for name, limit, label, required in (
        ("name", 100, _("名称"), True),
        ("zone", 50, _("片区"), False),
        ("location", 200, _("位置"), True),
        ("description", 2000, _("说明"), False),
    ):
        try:
            out[name] = text(fields.get(name), limit, label, required=required)
        except ValidationError as exc:
            errors.extend(exc.messages)
    try:
        area = Decimal(str(fields.get("area_m2") or "").strip())
        if not area.is_finite() or area <= 0 or area >= MAX_AREA:
            raise InvalidOperation
        out["area_m2"] = area.quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        errors.append(_("面积应是大于零的平方米数，如 120 或 85.5"))
    if fields.get("kind") not in PlotKind.values:
        errors.append(_("请选择绿地类型（草坪、绿篱、花坛、树木）"))
    else:
        out["kind"] = fields["kind"]
    if errors:
        raise ValidationError(errors)
    return out


def do_create_plot(community, *, actor, **fields) -> Plot:
    require_staff(community.pk, actor)
    clean = clean_plot(fields)
    try:
        with transaction.atomic():
            plot = Plot.objects.create(community=community, created_by=actor, **clean)
            record(actor, "greening.create_plot", plot, community=community, after=summary(plot))
    except IntegrityError as exc:
        raise ValidationError(_("本社区已有同名的绿地")) from exc
    return plot


def do_update_plot(plot: Plot, *, actor, **fields) -> Plot:
    require_staff(plot.community_id, actor)
    clean = clean_plot(fields)
    try:
        with transaction.atomic():
            plot = Plot.objects.select_for_update().get(pk=plot.pk)
            before = summary(plot)
            for key, value in clean.items():
                setattr(plot, key, value)
            plot.save()
            record(
                actor,
                "greening.update_plot",
                plot,
                community=plot.community,
                before=before,
                after=summary(plot),
            )
    except IntegrityError as exc:
        raise ValidationError(_("本社区已有同名的绿地")) from exc
    return plot


def move(plot: Plot, state: str) -> None:
    """Change a locked plot's state by the table (no audit: the caller writes it)."""
    check_plot_move(plot.state, state)
    plot.state = state
    plot.save(update_fields=["state"])


def do_move_plot(plot: Plot, state: str, *, actor, reason: str = "") -> Plot:
    """Rest, retire or reopen a plot. Adopting and ending an adoption move it themselves."""
    require_staff(plot.community_id, actor)
    if state not in PlotState.values:
        raise ValidationError(_("请选择绿地状态"))
    if state == PlotState.ADOPTED:
        raise ValidationError(_("绿地经审核通过认领申请后才变为“已认领”"))
    with transaction.atomic():
        plot = Plot.objects.select_for_update().get(pk=plot.pk)
        if plot.state == PlotState.ADOPTED:
            raise ValidationError(_("这块绿地正在认领中，请先结束认领"))
        before = plot.state
        move(plot, state)
        record(
            actor,
            "greening.move_plot",
            plot,
            community=plot.community,
            before={"state": before},
            after={"state": state, "reason": (reason or "").strip()[:200]},
        )
    return plot


def do_add_plot_photo(plot: Plot, upload, *, actor, caption: str = "") -> PlotPhoto:
    require_staff(plot.community_id, actor)
    content_type, suffix = check_photo(upload)
    caption = text(caption, 100, _("说明"))
    upload.name = f"photo{suffix}"
    with transaction.atomic():
        photo = PlotPhoto.objects.create(
            plot=plot, file=upload, content_type=content_type, caption=caption, uploaded_by=actor
        )
        record(
            actor,
            "greening.add_plot_photo",
            photo,
            community=plot.community,
            after={"plot": plot.pk, "caption": caption},
        )
    return photo


def do_set_care_days(community, days, *, actor) -> CareSetting:
    require_staff(community.pk, actor)
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 7 <= days <= 365:
        raise ValidationError(_("提醒天数应在 7 到 365 天之间"))
    with transaction.atomic():
        setting, _created = CareSetting.objects.select_for_update().get_or_create(
            community=community
        )
        before = setting.care_days
        setting.care_days = days
        setting.save()
        record(
            actor,
            "greening.set_care_days",
            setting,
            community=community,
            before={"care_days": before},
            after={"care_days": days},
        )
    return setting

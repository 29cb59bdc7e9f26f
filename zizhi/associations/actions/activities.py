"""Activities and sign-up: create and cancel activities, sign up, cancel a sign-up, and the
waiting list that fills freed places in order. Each function checks permission and rules,
changes rows and writes one audit event."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zizhi.accounts import messaging
from zizhi.accounts.access import access_for
from zizhi.audit.log import record

from ..access import can_organise
from ..models import (
    Activity,
    ActivityStatus,
    AssociationMember,
    Audience,
    OrganiserKind,
    ServiceCategory,
    SignUp,
    SignUpStatus,
    TeamMember,
    Volunteer,
    VolunteerRules,
    VolunteerStatus,
)
from .common import require, scope_of

ADULT_AGE = 18


def _organiser_kind(association, team, body) -> str:
    given = [k for k, v in (("association", association), ("team", team), ("body", body)) if v]
    require(len(given) <= 1, _("活动只能有一个组织方"))
    return given[0] if given else OrganiserKind.COMMUNITY


def do_create_activity(
    *,
    actor,
    title: str,
    place: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    community=None,
    association=None,
    team=None,
    body=None,
    capacity: int | None = None,
    audience: str = Audience.PUBLIC,
    minors_allowed: bool = False,
    category: str = ServiceCategory.OTHER,
    is_volunteer_service: bool = True,
    description: str = "",
    signup_deadline: datetime.datetime | None = None,
) -> Activity:
    kind = _organiser_kind(association, team, body)
    owner = association or team or body
    if owner is not None:
        community = owner.community
    subdistrict = (community or association).subdistrict
    activity = Activity(
        subdistrict=subdistrict,
        community=community,
        organiser_kind=kind,
        association=association,
        team=team,
        body=body,
        title=(title or "").strip(),
        description=(description or "").strip(),
        place=(place or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        audience=audience,
        minors_allowed=minors_allowed,
        category=category,
        is_volunteer_service=is_volunteer_service,
        created_by=actor,
    )
    if not can_organise(actor, activity):
        raise PermissionDenied(_("您不能组织这个活动"))
    _validate(activity)
    if signup_deadline is None:
        signup_deadline = _default_deadline(activity)
    require(signup_deadline <= starts_at, _("报名截止时间不能晚于活动开始时间"))
    activity.signup_deadline = signup_deadline
    with transaction.atomic():
        activity.save()
        record(
            actor,
            "associations.create_activity",
            activity,
            **scope_of(activity),
            after=_summary(activity),
        )
    return activity


def _validate(activity: Activity) -> None:
    require(activity.title, _("请填写活动名称"))
    require(activity.place, _("请填写活动地点"))
    require(
        activity.starts_at and activity.ends_at and activity.ends_at > activity.starts_at,
        _("结束时间必须晚于开始时间"),
    )
    require(activity.capacity is None or activity.capacity >= 1, _("名额至少为 1 人"))
    require(activity.audience in Audience.values, _("参加对象不正确"))
    require(activity.category in ServiceCategory.values, _("服务类别不正确"))
    require(
        activity.audience != Audience.MEMBERS
        or activity.organiser_kind in (OrganiserKind.ASSOCIATION, OrganiserKind.TEAM),
        _("只有群团组织或志愿服务队的活动可以限本组织成员参加"),
    )


def _default_deadline(activity: Activity) -> datetime.datetime:
    """The community's cancel_hours_before ahead of the start; the start itself when that
    moment has already passed (published at short notice)."""
    hours = VolunteerRules.for_community(activity.community_id).cancel_hours_before
    deadline = activity.starts_at - datetime.timedelta(hours=hours)
    return activity.starts_at if deadline < timezone.now() else deadline


# The fields an organiser may change before the activity starts.
EDITABLE = (
    "title",
    "description",
    "place",
    "starts_at",
    "ends_at",
    "capacity",
    "audience",
    "minors_allowed",
    "category",
    "is_volunteer_service",
    "signup_deadline",
)


def do_update_activity(activity: Activity, *, actor, **changes) -> Activity:
    """Change an open activity before it starts. A larger capacity (or none) lets the waiting
    list in, in order; a capacity below the confirmed sign-ups is refused (cancel sign-ups
    first); a new time or place is sent to everyone signed up. A new start without a new
    deadline moves the deadline by the community's rule."""
    unknown = set(changes) - set(EDITABLE)
    require(not unknown, _("不能修改这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    empty = sorted(k for k, v in changes.items() if v is None and k != "capacity")
    require(not empty, _("这些字段不能为空：%(f)s") % {"f": "、".join(empty)})
    if not can_organise(actor, activity):
        raise PermissionDenied(_("您不能管理这个活动"))
    with transaction.atomic():
        locked = Activity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
        require(locked.status == ActivityStatus.OPEN, _("活动已结束或已取消，不能修改"))
        require(timezone.now() < locked.starts_at, _("活动已经开始，不能修改"))
        before = _summary(locked)
        old_when_where = (locked.starts_at, locked.ends_at, locked.place)
        for name, value in changes.items():
            if isinstance(value, str):
                value = value.strip()
            setattr(locked, name, value)
        _validate(locked)
        if "starts_at" in changes and "signup_deadline" not in changes:
            locked.signup_deadline = _default_deadline(locked)
        require(locked.signup_deadline <= locked.starts_at, _("报名截止时间不能晚于活动开始时间"))
        taken = locked.signups.filter(status=SignUpStatus.CONFIRMED).count()
        require(
            locked.capacity is None or locked.capacity >= taken,
            _("已有 %(n)s 人报名，名额不能少于报名人数；请先取消部分报名") % {"n": taken},
        )
        locked.save()
        record(
            actor,
            "associations.update_activity",
            locked,
            **scope_of(locked),
            before=before,
            after=_summary(locked),
        )
        promoted = _fill_places(locked, actor)
        if (locked.starts_at, locked.ends_at, locked.place) != old_when_where:
            promoted_ids = {s.pk for s in promoted}
            users = [
                s.resident.user
                for s in locked.signups.exclude(status=SignUpStatus.CANCELLED).select_related(
                    "resident__user"
                )
                if s.resident.user_id and s.pk not in promoted_ids
            ]
            when = timezone.localtime(locked.starts_at).strftime("%Y-%m-%d %H:%M")
            messaging.send(
                users,
                _("活动变更：%(t)s") % {"t": locked.title},
                _("新的时间：%(w)s；地点：%(p)s") % {"w": when, "p": locked.place},
            )
    return locked


def _summary(activity: Activity) -> dict:
    return {
        "title": activity.title,
        "organiser": activity.organiser_kind,
        "starts_at": activity.starts_at.isoformat(),
        "ends_at": activity.ends_at.isoformat(),
        "capacity": activity.capacity,
        "place": activity.place,
        "signup_deadline": activity.signup_deadline.isoformat()
        if activity.signup_deadline
        else None,
        "audience": activity.audience,
        "minors_allowed": activity.minors_allowed,
        "volunteer_service": activity.is_volunteer_service,
    }


def do_cancel_activity(activity: Activity, *, actor, reason: str) -> Activity:
    if not can_organise(actor, activity):
        raise PermissionDenied(_("您不能管理这个活动"))
    reason = (reason or "").strip()
    require(reason, _("请说明取消原因"))
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        require(activity.status == ActivityStatus.OPEN, _("活动已结束或已取消"))
        activity.status = ActivityStatus.CANCELLED
        activity.cancel_reason = reason[:500]
        activity.save(update_fields=["status", "cancel_reason"])
        users = [
            s.resident.user
            for s in activity.signups.exclude(status=SignUpStatus.CANCELLED).select_related(
                "resident__user"
            )
            if s.resident.user_id
        ]
        messaging.send(users, _("活动取消：%(t)s") % {"t": activity.title}, reason)
        record(
            actor,
            "associations.cancel_activity",
            activity,
            **scope_of(activity),
            extra={"reason": reason},
        )
    return activity


# ---- who may join ---------------------------------------------------------------------------


def check_eligible(activity: Activity, resident, accompanied_by=None) -> None:
    """Raise a ValidationError saying why the resident may not join the activity."""
    if activity.audience == Audience.MEMBERS:
        if activity.association_id:
            member = AssociationMember.objects.filter(
                association_id=activity.association_id, resident=resident, left_on__isnull=True
            ).exists()
        else:
            member = TeamMember.objects.filter(
                team_id=activity.team_id, volunteer__resident=resident, left_on__isnull=True
            ).exists()
        require(member, _("这个活动只限本组织成员参加"))
    volunteer = Volunteer.objects.filter(resident=resident, status=VolunteerStatus.ACTIVE).first()
    if activity.audience == Audience.VOLUNTEERS:
        require(volunteer is not None, _("这个活动只限注册志愿者参加，请先登记为志愿者"))
    rules = VolunteerRules.for_community(resident.community_id)
    age = resident.age(on=timezone.localdate(activity.starts_at))
    if age < rules.minors_only_under:
        require(
            activity.minors_allowed,
            _("未满 %(n)s 周岁只能参加适合未成年人的活动") % {"n": rules.minors_only_under},
        )
        require(
            accompanied_by is not None,
            _("未满 %(n)s 周岁参加活动需有成年人陪同，请填写陪同人")
            % {"n": rules.minors_only_under},
        )
    if accompanied_by is not None:
        require(accompanied_by.pk != resident.pk, _("陪同人不能是本人"))
        require(
            accompanied_by.age(on=timezone.localdate(activity.starts_at)) >= ADULT_AGE,
            _("陪同人必须是成年人"),
        )
    if age < rules.guardian_consent_under and activity.is_volunteer_service:
        require(
            volunteer is not None and volunteer.guardian_consent_at is not None,
            _("未满 %(n)s 周岁参加志愿服务需先登记监护人同意")
            % {"n": rules.guardian_consent_under},
        )


def _acting_for(actor, activity, resident) -> bool:
    """True when an organiser signs someone up; the resident themself otherwise; else refuse."""
    if access_for(actor).resident_id == resident.pk:
        return False
    if can_organise(actor, activity):
        return True
    raise PermissionDenied(_("您只能为自己报名"))


# ---- sign-up and the waiting list ------------------------------------------------------------


def do_sign_up(activity: Activity, resident, *, actor, accompanied_by=None) -> SignUp:
    """A confirmed place while places are left, else a place on the waiting list. The
    activity row is locked, so concurrent sign-ups never overfill it."""
    by_organiser = _acting_for(actor, activity, resident)
    check_eligible(activity, resident, accompanied_by)
    try:
        with transaction.atomic():
            locked = Activity.objects.select_for_update().get(pk=activity.pk)
            require(locked.status == ActivityStatus.OPEN, _("活动已结束或已取消，不能报名"))
            # residents until the deadline; an organiser adds walk-ins until the end
            deadline = locked.ends_at if by_organiser else locked.signup_deadline
            require(timezone.now() < deadline, _("报名已截止"))
            taken = locked.signups.filter(status=SignUpStatus.CONFIRMED).count()
            full = locked.capacity is not None and taken >= locked.capacity
            signup = SignUp.objects.create(
                activity=locked,
                resident=resident,
                status=SignUpStatus.WAITING if full else SignUpStatus.CONFIRMED,
                accompanied_by=accompanied_by,
                by_organiser=by_organiser,
            )
            record(
                actor,
                "associations.sign_up",
                signup,
                **scope_of(locked),
                after={"activity": locked.pk, "resident": resident.pk, "status": signup.status},
            )
    except IntegrityError as exc:
        raise ValidationError(_("已经报过名了")) from exc
    return signup


def waiting_position(signup: SignUp) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if signup.status != SignUpStatus.WAITING:
        return None
    return SignUp.objects.filter(
        activity_id=signup.activity_id, status=SignUpStatus.WAITING, id__lte=signup.pk
    ).count()


def _fill_places(activity: Activity, actor) -> list[SignUp]:
    """Move the first of the waiting list into free places, in order (activity locked)."""
    if activity.capacity is None:
        free = activity.signups.filter(status=SignUpStatus.WAITING).count()
    else:
        taken = activity.signups.filter(status=SignUpStatus.CONFIRMED).count()
        free = max(activity.capacity - taken, 0)
    promoted = list(
        activity.signups.filter(status=SignUpStatus.WAITING)
        .select_related("resident__user")
        .order_by("id")[:free]
    )
    now = timezone.now()
    for signup in promoted:
        signup.status = SignUpStatus.CONFIRMED
        signup.promoted_at = now
        signup.save(update_fields=["status", "promoted_at"])
        record(
            actor,
            "associations.promote_signup",
            signup,
            **scope_of(activity),
            after={"activity": activity.pk, "resident": signup.resident_id},
        )
        if signup.resident.user_id:
            messaging.send(
                [signup.resident.user],
                _("候补成功：%(t)s") % {"t": activity.title},
                _("有人取消了报名，您已从候补转为正式报名。"),
            )
    return promoted


def do_cancel_signup(signup: SignUp, *, actor) -> SignUp:
    """The resident cancels until the deadline (an organiser at any time before the
    activity ends); the first on the waiting list takes the freed place."""
    activity = signup.activity
    by_organiser = _acting_for(actor, activity, signup.resident)
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        signup = SignUp.objects.select_for_update().get(pk=signup.pk)
        require(signup.status != SignUpStatus.CANCELLED, _("报名已经取消"))
        if not by_organiser:
            require(timezone.now() < locked.signup_deadline, _("已过取消截止时间，请联系组织者"))
        before = signup.status
        signup.status = SignUpStatus.CANCELLED
        signup.cancelled_at = timezone.now()
        signup.save(update_fields=["status", "cancelled_at"])
        record(
            actor,
            "associations.cancel_signup",
            signup,
            **scope_of(locked),
            before={"status": before},
            after={"activity": locked.pk, "resident": signup.resident_id},
        )
        if before == SignUpStatus.CONFIRMED and locked.status == ActivityStatus.OPEN:
            _fill_places(locked, actor)
    return signup

"""What governance holds about a resident: seats in bodies, meetings attended, ballots cast,
answers to consultations (see registry/personal_data.py for the contract).

A ballot of a secret poll (Poll.secret, 无记名) is exported as "voted", never with its choice:
the choice is not the voter's to carry away either, so that nobody can be made to show it."""

from django.db.models import Q
from django.utils.translation import gettext as _

from zizhi.registry.personal_data import pseudonym, scrub, section

from .models import Attendance, Ballot, ConsultationAnswer, Membership, Opinion, Step


def _seats(resident):
    q = Q(resident=resident)
    if resident.user_id:
        q |= Q(user_id=resident.user_id)
    return Membership.objects.filter(q)


def export(resident) -> list[dict]:
    seats = list(_seats(resident).select_related("body"))
    seat_ids = [s.pk for s in seats]
    ballots = (
        Ballot.objects.filter(membership_id__in=seat_ids)
        .select_related("poll")
        .order_by("cast_at", "id")
    )
    ballot_rows = [
        {
            "poll": b.poll.question,
            "cast_at": b.cast_at,
            "method": b.get_method_display(),
            "choice": _("无记名投票，不导出所投意见") if b.poll.secret else b.get_choice_display(),
        }
        for b in ballots
    ]
    attended = (
        Attendance.objects.filter(membership_id__in=seat_ids)
        .select_related("meeting")
        .order_by("signed_in_at")
    )
    answers = (
        ConsultationAnswer.objects.filter(resident=resident)
        .select_related("consultation")
        .order_by("at")
    )
    return [
        section(
            "seats",
            _("任职"),
            [
                ("body", _("组织")),
                ("role", _("职务")),
                ("started_on", _("任职日期")),
                ("ended_on", _("离任日期")),
            ],
            [
                {
                    "body": s.body.name,
                    "role": s.get_role_display(),
                    "started_on": s.started_on,
                    "ended_on": s.ended_on,
                }
                for s in seats
            ],
        ),
        section(
            "meetings",
            _("出席的会议"),
            [("meeting", _("会议")), ("signed_in_at", _("签到时间")), ("method", _("签到方式"))],
            [
                {
                    "meeting": a.meeting.title,
                    "signed_in_at": a.signed_in_at,
                    "method": a.get_method_display(),
                }
                for a in attended
            ],
        ),
        section(
            "ballots",
            _("投票"),
            [
                ("poll", _("表决事项")),
                ("cast_at", _("投票时间")),
                ("method", _("方式")),
                ("choice", _("意见")),
            ],
            ballot_rows,
        ),
        section(
            "consultations",
            _("征求意见的答复"),
            [("question", _("问题")), ("consent", _("答复")), ("at", _("时间"))],
            [
                {
                    "question": a.consultation.question,
                    "consent": _("同意") if a.consent else _("不同意"),
                    "at": a.at,
                }
                for a in answers
            ],
        ),
    ]


def erase(resident, *, actor) -> int:
    """Seats keep their id (ballots, attendance and tallies refer to it) under the pseudonym;
    free text that names the person is scrubbed."""
    seats = _seats(resident)
    seat_ids = list(seats.values_list("pk", flat=True))
    changed = scrub(seats, [], resident, set_values={"name": pseudonym(resident)})
    changed += scrub(Opinion.objects.filter(membership_id__in=seat_ids), ["text"], resident)
    changed += scrub(Ballot.objects.filter(membership_id__in=seat_ids), ["assist_reason"], resident)
    if resident.user_id:
        changed += scrub(
            Step.objects.filter(actor_id=resident.user_id), ["actor_label", "note"], resident
        )
    return changed

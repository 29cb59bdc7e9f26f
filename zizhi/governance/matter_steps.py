"""The POST handlers of the matter page, one per step; each validates its form and calls
one action. Refusals become messages (see web.attempt)."""

from django.http import Http404
from django.utils.translation import gettext as _

from . import actions
from .forms import (
    AgendaForm,
    ConcludeForm,
    DoorAnswerForm,
    FinishForm,
    ImplementationForm,
    InstructionForm,
    NoteForm,
    OpinionForm,
)
from .models import Meeting, Membership
from .web import attempt, find_resident, form_errors


def _form(request, form_class):
    form = form_class(request.POST)
    if form.is_valid():
        return form.cleaned_data
    form_errors(request, form)
    return None


def move(request, matter):
    data = _form(request, NoteForm)
    name = request.POST.get("move", "")
    if data is not None:
        attempt(
            request, actions.do_move_matter, matter, name, note=data["note"], actor=request.user
        )


def opinion(request, matter):
    data = _form(request, OpinionForm)
    if data is None:
        return
    membership = Membership.objects.filter(pk=data["membership"]).first()
    if membership is None:
        raise Http404
    attempt(
        request,
        actions.do_record_opinion,
        matter,
        membership,
        stance=data["stance"],
        text=data["text"],
        actor=request.user,
    )


def conclude(request, matter):
    data = _form(request, ConcludeForm)
    if data is not None:
        attempt(
            request,
            actions.do_conclude_review,
            matter,
            data["outcome"],
            conclusion=data["conclusion"],
            base=data["base"] or "adult_residents",
            actor=request.user,
        )


def instruct(request, matter):
    data = _form(request, InstructionForm)
    escalation = matter.escalations.filter(answered_at__isnull=True).last()
    if data is not None and escalation is not None:
        attempt(
            request,
            actions.do_answer_escalation,
            escalation,
            instruction=data["instruction"],
            actor=request.user,
        )


def door_answer(request, matter):
    """A worker enters an answer given at the door: find the resident by phone or name."""
    data = _form(request, DoorAnswerForm)
    if data is None:
        return
    resident = find_resident(request, matter.community, data["who"])
    if resident is None:
        return
    attempt(
        request,
        actions.do_answer_consultation,
        matter,
        resident,
        consent=data["consent"],
        actor=request.user,
        done=_("已记录%(n)s的意见") % {"n": resident.name},
    )


def close_consultation(request, matter):
    attempt(request, actions.do_close_consultation, matter, actor=request.user)


def agenda(request, matter):
    data = _form(request, AgendaForm)
    if data is None:
        return
    meeting = Meeting.objects.filter(pk=data["meeting"], community=matter.community).first()
    if meeting is None:
        raise Http404
    attempt(request, actions.do_put_on_agenda, matter, meeting, actor=request.user)


def disclose(request, matter):
    attempt(request, actions.do_disclose_resolution, matter, actor=request.user)


def implementation(request, matter):
    data = _form(request, ImplementationForm)
    if data is not None:
        attempt(request, actions.do_add_implementation_step, matter, actor=request.user, **data)


def finish(request, matter):
    data = _form(request, FinishForm)
    if data is None:
        return
    step = matter.implementation.filter(pk=data["step"]).first()
    if step is None:
        raise Http404
    attempt(
        request,
        actions.do_finish_implementation_step,
        step,
        outcome=data["outcome"],
        actor=request.user,
    )


def complete(request, matter):
    attempt(request, actions.do_complete_implementation, matter, actor=request.user)


def disclose_result(request, matter):
    attempt(request, actions.do_disclose_result, matter, actor=request.user)


HANDLERS = {
    "move": move,
    "opinion": opinion,
    "conclude": conclude,
    "instruct": instruct,
    "door-answer": door_answer,
    "close-consultation": close_consultation,
    "agenda": agenda,
    "disclose": disclose,
    "implementation": implementation,
    "finish": finish,
    "complete": complete,
    "disclose-result": disclose_result,
}

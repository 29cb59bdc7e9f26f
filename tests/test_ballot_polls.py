"""A worker process remembers the polls it took ballots for (governance.access.ballot_polls),
so a ballot costs no query for its poll. The memory never decides anything on its own: the
ballot's insert checks the remembered facts again, a stale entry is forgotten and the poll
asked for again, and someone who may not see the poll still gets 404."""

import copy

import pytest

from zizhi.audit.models import Event
from zizhi.governance.access import ballot_polls
from zizhi.governance.models import Ballot, Poll

from .test_governance_api import NOT_FOUND, Caller, g, key, ok, open_meeting, reps, staff

__all__ = ["g", "reps", "staff"]  # fixtures


def _open_poll(staff, reps, g, secret=False):
    meeting = open_meeting(staff, reps, g)
    item = meeting["items"][0]["id"]
    body = {"question": "是否同意", "secret": secret}
    pid = ok(staff.post(f"agenda-items/{item}/polls", body), 201)["id"]
    ok(staff.post(f"polls/{pid}/open"))
    return pid


def test_a_ballot_remembers_its_poll_and_outsiders_still_get_404(world, g, staff, reps):
    pid = _open_poll(staff, reps, g)
    assert ballot_polls.get(pid) is None
    ok(reps[0].post(f"polls/{pid}/ballots", {"choice": "yes"}, **key(0)), 201)
    assert ballot_polls.get(pid).pk == pid
    for user in (world.worker_b, world.subadmin_other, world.resident_a):
        refused = Caller(user).post(f"polls/{pid}/ballots", {"choice": "no"}, **key(9))
        assert refused.status_code == 404 and refused.json()["detail"] == NOT_FOUND
    # the community's own staff may see the poll but have no seat in the assembly
    not_a_member = staff.post(f"polls/{pid}/ballots", {"choice": "no"}, **key(8))
    assert not_a_member.status_code == 400
    assert not_a_member.json()["detail"] == "您不是本会议的组成人员"
    # a second ballot of the same member: 409; the same key again: the first ballot
    assert reps[0].post(f"polls/{pid}/ballots", {"choice": "no"}, **key(7)).status_code == 409
    again = reps[0].post(f"polls/{pid}/ballots", {"choice": "yes"}, **key(0))
    assert again.status_code == 200
    assert Ballot.objects.filter(poll_id=pid).count() == 1


@pytest.mark.parametrize("wrong", ["secret", "community", "mode"])
def test_a_stale_entry_inserts_nothing_and_the_real_poll_is_used(world, g, staff, reps, wrong):
    pid = _open_poll(staff, reps, g, secret=True)
    ok(reps[0].post(f"polls/{pid}/ballots", {"choice": "yes"}, **key(0)), 201)
    stale = copy.deepcopy(ballot_polls.get(pid))
    if wrong == "secret":  # would put the choice of a secret ballot into the audit log
        stale.secret = False
    elif wrong == "community":  # would put its event into another community's chain
        stale.item.meeting.community = world.xh
    else:  # a paper poll is refused before the insert: forgotten, asked again
        stale.mode = "paper"
    ballot_polls.remember(stale)

    ok(reps[1].post(f"polls/{pid}/ballots", {"choice": "no"}, **key(1)), 201)

    remembered = ballot_polls.get(pid)
    assert remembered.secret and remembered.item.meeting.community_id == world.hd.pk
    events = Event.objects.filter(verb="poll.ballot", object_id=str(pid))
    assert events.count() == 2
    for event in events:
        assert event.community_id == world.hd.pk and "choice" not in event.summary["after"]
    assert Poll.objects.get(pk=pid).ballots.count() == 2

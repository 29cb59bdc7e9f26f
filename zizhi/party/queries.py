"""Read-side functions of the party app, for its views and for other apps.

Other apps (wishes, greening, stats) ask the party app only through these functions.
"""


def is_member(user, community) -> bool:
    """Whether `user` is a Party member serving `community`: a member of its branch, or an
    in-service member reported in to it. Used by the wishes app to label a claim as a Party
    member's. (Coordination stub until the party models land: always False.)"""
    return False

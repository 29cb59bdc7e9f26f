"""What the greening app adds to the home pages (see zizhi/web/sections.py).

Each function returns the context of its template `greening/_home_<kind>.html`, or None to
show nothing: `resident(user)` for a resident's home (cards), `staff(user, community)` for
the staff workbench (buttons), `member(user)` for someone who holds a seat or a desk but is
neither a resident nor staff (cards).
"""


def resident(user):
    return None


def staff(user, community):
    return None


def member(user):
    return None

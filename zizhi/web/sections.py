"""Sections that other apps add to the home pages.

Each module in HOME_SECTIONS may define `resident(user)`, `staff(user, community)` and
`member(user)`; each returns a dict (the context of the app's template
`<app>/_home_<kind>.html`) or None to show nothing. The home templates include every
section in order, so a new app adds its cards without editing the web app.
"""

from dataclasses import dataclass
from importlib import import_module

HOME_SECTIONS = (
    "zizhi.greening.home",
    "zizhi.party.home",
    "zizhi.wishes.home",
    "zizhi.mediation.home",
    "zizhi.stats.home",
)


@dataclass(frozen=True)
class Section:
    template: str
    data: dict


def home_sections(kind: str, user, **kwargs) -> list[Section]:
    """The sections of one kind of home page ("resident", "staff" or "member")."""
    sections = []
    for path in HOME_SECTIONS:
        module = import_module(path)
        build = getattr(module, kind, None)
        data = build(user, **kwargs) if build is not None else None
        if data is not None:
            app = path.split(".")[1]
            sections.append(Section(f"{app}/_home_{kind}.html", data))
    return sections

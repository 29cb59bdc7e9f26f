from zizhi.accounts.access import access_for

LARGE_TEXT_COOKIE = "zizhi_large_text"


def large_text_on(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.large_text
    return request.COOKIES.get(LARGE_TEXT_COOKIE) == "1"


def shell(request):
    """What the base template needs on every page."""
    user = getattr(request, "user", None)
    access = access_for(user)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = user.inbox.filter(read_at__isnull=True).count()
    return {"large_text": large_text_on(request), "access": access, "unread_count": unread}

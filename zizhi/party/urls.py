from django.urls import path

from . import branch_views as b
from . import views as v

app_name = "party"
urlpatterns = [
    # members and the public (views.py)
    path("c/<str:code>/party/posts/", v.posts, name="posts"),
    path("c/<str:code>/party/posts/<int:pk>/claim/", v.claim, name="claim"),
    path("c/<str:code>/party/claims/<int:pk>/withdraw/", v.withdraw_claim, name="withdraw_claim"),
    path("party/report-in/", v.report_in, name="report_in"),
    path("party/me/", v.me, name="me"),
    path("c/<str:code>/party/members/<int:pk>/report/<str:quarter>/", v.report, name="report"),
    path(
        "c/<str:code>/party/members/<int:pk>/report/<str:quarter>.pdf",
        v.report_pdf,
        name="report_pdf",
    ),
    path("party/verify/<str:code>/", v.verify, name="verify"),
    # the branch desk (branch_views.py)
    path("c/<str:code>/party/", b.desk, name="desk"),
    path("c/<str:code>/party/members/new/", b.register, name="register"),
    path("c/<str:code>/party/members/<int:pk>/", b.member, name="member"),
    path("c/<str:code>/party/members/<int:pk>/visits/", b.add_visit, name="add_visit"),
    path(
        "c/<str:code>/party/members/<int:pk>/report/<str:quarter>/evaluate/",
        b.evaluate,
        name="evaluate",
    ),
    path("c/<str:code>/party/organisations/", b.organisations, name="organisations"),
    path("c/<str:code>/party/posts/new/", b.add_post, name="add_post"),
    path("c/<str:code>/party/posts/<int:pk>/close/", b.close_post, name="close_post"),
    path("c/<str:code>/party/posts/<int:pk>/reopen/", b.reopen_post, name="reopen_post"),
    path("c/<str:code>/party/gaps/", b.gaps_page, name="gaps"),
    path("c/<str:code>/party/care/", b.care, name="care"),
]

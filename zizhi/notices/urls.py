from django.urls import path

from . import feeds, staff_views, views

app_name = "notices"
urlpatterns = [
    # public (views.py)
    path("c/<str:code>/notices/", views.board, name="board"),
    path("c/<str:code>/notices/feed.atom", feeds.NoticeFeed(), name="feed"),
    path("c/<str:code>/notices/<int:pk>/", views.detail, name="detail"),
    path("c/<str:code>/notices/<int:pk>.pdf", views.notice_pdf, name="pdf"),
    path("c/<str:code>/notices/<int:pk>/objections/", views.file_objection, name="object"),
    path(
        "c/<str:code>/notices/<int:pk>/attachments/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
    # staff (staff_views.py)
    path("c/<str:code>/notices/manage/", staff_views.manage, name="manage"),
    path("c/<str:code>/notices/manage/<int:pk>/", staff_views.staff_detail, name="staff_detail"),
    path("c/<str:code>/notices/manage/<int:pk>/edit/", staff_views.edit, name="edit"),
    path("c/<str:code>/notices/manage/<int:pk>/publish/", staff_views.publish, name="publish"),
    path("c/<str:code>/notices/manage/<int:pk>/withdraw/", staff_views.withdraw, name="withdraw"),
    path(
        "c/<str:code>/notices/manage/<int:pk>/attachments/",
        staff_views.add_attachment,
        name="add_attachment",
    ),
    path(
        "c/<str:code>/notices/manage/<int:pk>/postings/",
        staff_views.record_posting,
        name="record_posting",
    ),
    path(
        "c/<str:code>/notices/manage/<int:pk>/postings/<int:posting_id>/photo",
        staff_views.posting_photo,
        name="posting_photo",
    ),
    path(
        "c/<str:code>/notices/manage/<int:pk>/objections/<int:objection_id>/answer/",
        staff_views.answer_objection,
        name="answer",
    ),
]

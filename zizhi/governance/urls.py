from django.urls import path

from . import (
    body_views,
    charter_views,
    matter_views,
    meeting_views,
    poll_views,
    report_views,
)

app_name = "governance"
urlpatterns = [
    # meetings and polls (meeting_views.py)
    path("c/<str:code>/meetings/", meeting_views.meetings, name="meetings"),
    path("c/<str:code>/meetings/new/", meeting_views.meeting_new, name="meeting_new"),
    path("c/<str:code>/meetings/<int:pk>/", meeting_views.meeting, name="meeting"),
    path("c/<str:code>/meetings/<int:pk>/quorum/", meeting_views.quorum, name="meeting_quorum"),
    path("c/<str:code>/meetings/<int:pk>/sheet/", meeting_views.sheet, name="meeting_sheet"),
    path(
        "c/<str:code>/meetings/<int:pk>/minutes.pdf",
        meeting_views.minutes_pdf,
        name="meeting_minutes",
    ),
    path(
        "c/<str:code>/meetings/<int:pk>/signin/<str:token>/",
        meeting_views.signin,
        name="meeting_signin",
    ),
    path(
        "c/<str:code>/meetings/<int:pk>/do/<slug:verb>/",
        meeting_views.meeting_act,
        name="meeting_act",
    ),
    path("c/<str:code>/polls/<int:pk>/", poll_views.poll, name="poll"),
    path("c/<str:code>/polls/<int:pk>/vote/", poll_views.vote, name="poll_vote"),
    path("c/<str:code>/polls/<int:pk>/do/<slug:verb>/", poll_views.poll_act, name="poll_act"),
    # bodies and members (body_views.py)
    path("c/<str:code>/bodies/", body_views.bodies, name="bodies"),
    path("c/<str:code>/bodies/<int:pk>/", body_views.body, name="body"),
    path("c/<str:code>/bodies/<int:pk>/members/", body_views.add_member, name="add_member"),
    path("c/<str:code>/bodies/<int:pk>/term/", body_views.set_term, name="set_term"),
    path(
        "c/<str:code>/bodies/<int:pk>/members/<int:membership_id>/end/",
        body_views.end_member,
        name="end_member",
    ),
    # the charter and its rules (charter_views.py)
    path("c/<str:code>/charter/", charter_views.charter, name="charter"),
    path(
        "c/<str:code>/charter/v/<int:number>/",
        charter_views.charter_version,
        name="charter_version",
    ),
    path("c/<str:code>/charter/draft/", charter_views.charter_draft, name="charter_draft"),
    path(
        "c/<str:code>/charter/v/<int:number>/edit/",
        charter_views.charter_edit,
        name="charter_edit",
    ),
    path(
        "c/<str:code>/charter/v/<int:number>/do/<slug:verb>/",
        charter_views.charter_act,
        name="charter_act",
    ),
    # duty reports and appraisals (report_views.py)
    path("c/<str:code>/reports/", report_views.reports, name="reports"),
    path("c/<str:code>/reports/new/", report_views.report_new, name="report_new"),
    path("c/<str:code>/reports/<int:pk>/", report_views.duty_report, name="duty_report"),
    path(
        "c/<str:code>/reports/<int:pk>/do/<slug:verb>/",
        report_views.report_act,
        name="report_act",
    ),
    path(
        "c/<str:code>/reports/<int:pk>/files/<int:file_id>/",
        report_views.report_file,
        name="report_file",
    ),
    path("c/<str:code>/cadres/<int:pk>/", report_views.cadre, name="cadre"),
    # major matters (matter_views.py)
    path("c/<str:code>/matters/", matter_views.matters, name="matters"),
    path("c/<str:code>/matters/new/", matter_views.matter_new, name="matter_new"),
    path("c/<str:code>/matters/<int:pk>/", matter_views.matter, name="matter"),
    path("c/<str:code>/matters/<int:pk>/consult/", matter_views.consult, name="consult"),
    path(
        "c/<str:code>/matters/<int:pk>/do/<slug:verb>/", matter_views.matter_act, name="matter_act"
    ),
    path("gov/escalations/", matter_views.escalations, name="escalations"),
]

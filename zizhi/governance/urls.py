from django.urls import path

from . import body_views, charter_views, matter_views, meeting_views

app_name = "governance"
urlpatterns = [
    # meetings and polls (meeting_views.py)
    path("c/<str:code>/meetings/<int:pk>/", meeting_views.meeting, name="meeting"),
    # bodies and members (body_views.py)
    path("c/<str:code>/bodies/", body_views.bodies, name="bodies"),
    path("c/<str:code>/bodies/<int:pk>/", body_views.body, name="body"),
    path("c/<str:code>/bodies/<int:pk>/members/", body_views.add_member, name="add_member"),
    path(
        "c/<str:code>/bodies/<int:pk>/members/<int:membership_id>/end/",
        body_views.end_member,
        name="end_member",
    ),
    # the charter and its rules (charter_views.py)
    path("c/<str:code>/charter/", charter_views.charter, name="charter"),
    path("c/<str:code>/charter/update/", charter_views.update_charter, name="update_charter"),
    path("c/<str:code>/charter/rules/", charter_views.add_rule, name="add_rule"),
    # major matters (matter_views.py)
    path("c/<str:code>/matters/", matter_views.matters, name="matters"),
    path("c/<str:code>/matters/new/", matter_views.matter_new, name="matter_new"),
    path("c/<str:code>/matters/<int:pk>/", matter_views.matter, name="matter"),
    path("c/<str:code>/matters/<int:pk>/consult/", matter_views.consult, name="consult"),
    path("c/<str:code>/matters/<int:pk>/do/<slug:verb>/", matter_views.matter_act, name="matter_act"),
    path("gov/escalations/", matter_views.escalations, name="escalations"),
]

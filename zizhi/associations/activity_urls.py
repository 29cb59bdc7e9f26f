"""URLs of activities: see urls.py."""

from django.urls import path

from . import activity_views as v
from .organising_views import organising

urlpatterns = [
    path("c/<str:code>/activities/", v.community_activities, name="activities"),
    path("activities/organising/", organising, name="organising"),
    path("activities/<int:pk>/", v.activity, name="activity"),
    path("activities/<int:pk>/signup/", v.sign_up, name="sign_up"),
    path("activities/<int:pk>/cancel/", v.cancel_signup, name="cancel_signup"),
    path("activities/<int:pk>/scan/<str:token>/", v.scan, name="scan"),
    path("activities/<int:pk>/edit/", v.edit_activity, name="edit_activity"),
    path("activities/<int:pk>/organise/", v.organise, name="organise"),
    path("activities/<int:pk>/qr/", v.qr_code, name="qr"),
    path("activities/<int:pk>/door/", v.door, name="door"),
    path("activities/<int:pk>/attendance/", v.attendance, name="attendance"),
    path("activities/<int:pk>/attest/", v.attest, name="attest"),
    path("activities/<int:pk>/decide/", v.decide, name="decide"),
]

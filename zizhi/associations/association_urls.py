"""URLs of associations: see urls.py."""

from django.urls import path

from . import activity_views as v
from . import staff_views as staff

urlpatterns = [
    path("c/<str:code>/associations/", v.community_associations, name="associations"),
    path("associations/<int:pk>/", v.association, name="association"),
    path("associations/<int:pk>/activities/new/", v.new_activity, name="new_activity"),
    path("associations/<int:pk>/members/", staff.members, name="members"),
    path("associations/<int:pk>/members/change/", staff.member_change, name="member_change"),
    path("associations/<int:pk>/photos/", staff.add_photo, name="add_photo"),
    path("associations/<int:pk>/photos/<int:photo_id>/", staff.photo, name="photo"),
    path("c/<str:code>/activities/new/", v.new_community_activity, name="new_community_activity"),
    path("c/<str:code>/volunteers/", staff.volunteers, name="volunteers"),
    path("c/<str:code>/volunteers/rules/", staff.rules, name="rules"),
    path("c/<str:code>/volunteers/teams/", staff.teams, name="teams"),
    path("c/<str:code>/participation/", staff.participation_page, name="participation"),
    path("volunteer/register/", staff.register_me, name="register"),
]

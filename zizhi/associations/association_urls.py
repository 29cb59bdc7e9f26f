"""URLs of associations: see urls.py."""

from django.urls import path

from . import activity_views as v

urlpatterns = [
    path("c/<str:code>/associations/", v.community_associations, name="associations"),
    path("associations/<int:pk>/", v.association, name="association"),
    path("associations/<int:pk>/activities/new/", v.new_activity, name="new_activity"),
]

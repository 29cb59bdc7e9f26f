from django.urls import path

from . import matter_views, meeting_views

app_name = "governance"
urlpatterns = [
    # meetings and polls (meeting_views.py)
    path("c/<str:code>/meetings/<int:pk>/", meeting_views.meeting, name="meeting"),
    # major matters (matter_views.py)
    path("c/<str:code>/matters/<int:pk>/", matter_views.matter, name="matter"),
]

from django.urls import path

from . import matter_views, meeting_views

app_name = "governance"
urlpatterns = [
    # meetings and polls (meeting_views.py)
    path("c/<str:code>/meetings/<int:pk>/", meeting_views.meeting, name="meeting"),
    # major matters (matter_views.py)
    path("c/<str:code>/matters/", matter_views.matters, name="matters"),
    path("c/<str:code>/matters/new/", matter_views.matter_new, name="matter_new"),
    path("c/<str:code>/matters/<int:pk>/", matter_views.matter, name="matter"),
    path("c/<str:code>/matters/<int:pk>/consult/", matter_views.consult, name="consult"),
    path("c/<str:code>/matters/<int:pk>/do/<slug:verb>/", matter_views.matter_act, name="matter_act"),
    path("gov/escalations/", matter_views.escalations, name="escalations"),
]

from django.urls import path

from . import motion_views

urlpatterns = [
    path("c/<str:code>/motions/", motion_views.motions, name="motions"),
    path("c/<str:code>/motions/new/", motion_views.motion_new, name="motion_new"),
    path("c/<str:code>/motions/<int:pk>/", motion_views.motion, name="motion"),
    path("c/<str:code>/motions/<int:pk>/<str:act>/", motion_views.motion_act, name="motion_act"),
]

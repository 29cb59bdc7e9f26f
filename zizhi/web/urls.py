from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("prefs/large-text/", views.large_text, name="large_text"),
    path("me/", views.my_data, name="my_data"),
    path("me/export.json", views.my_data_export, name="my_data_export"),
    path("c/<str:code>/", views.community_public, name="community"),
]

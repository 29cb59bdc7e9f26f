from django.urls import path

from . import privacy_views, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("prefs/large-text/", views.large_text, name="large_text"),
    path("me/", privacy_views.my_data, name="my_data"),
    path("me/export.json", privacy_views.export_json, name="my_data_export"),
    path("me/export.pdf", privacy_views.export_pdf, name="my_data_pdf"),
    path("me/correction/", privacy_views.request_correction, name="my_data_correct"),
    path("c/<str:code>/", views.community_public, name="community"),
]

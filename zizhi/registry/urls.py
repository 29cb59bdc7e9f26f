from django.urls import path

from . import import_views, privacy_views, views

app_name = "registry"
urlpatterns = [
    path("c/<str:code>/residents/", views.roster, name="roster"),
    path("c/<str:code>/residents/<int:pk>/", views.resident_detail, name="resident"),
    path("c/<str:code>/residents/<int:pk>/reveal-id/", views.reveal_id_number, name="reveal_id"),
    path(
        "c/<str:code>/residents/<int:pk>/activation-code/",
        views.issue_activation_code,
        name="activation_code",
    ),
    path("c/<str:code>/residents/<int:pk>/erase/", privacy_views.erase, name="erase"),
    path("c/<str:code>/corrections/", privacy_views.corrections, name="corrections"),
    path("c/<str:code>/corrections/<int:pk>/", privacy_views.correction, name="correction"),
    path("c/<str:code>/households/", views.households, name="households"),
    path("c/<str:code>/households/<int:pk>/", views.household_detail, name="household"),
    path("c/<str:code>/import/", import_views.upload, name="import"),
    path("c/<str:code>/import/template.xlsx", import_views.template, name="import_template"),
    path("c/<str:code>/import/<int:job_id>/", import_views.job_detail, name="import_job"),
    path("c/<str:code>/import/<int:job_id>/confirm/", import_views.confirm, name="import_confirm"),
    path(
        "c/<str:code>/import/<int:job_id>/progress/",
        import_views.job_progress,
        name="import_progress",
    ),
    path("c/<str:code>/roster.xlsx", import_views.export_roster, name="export"),
]

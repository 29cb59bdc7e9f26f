"""Monthly reports (report_views.py): generated in the background, kept for download."""

from django.urls import path

from . import report_views as views

urlpatterns = [
    path("c/<str:code>/monthly-reports/", views.community_reports, name="community_reports"),
    path("s/<str:code>/monthly-reports/", views.subdistrict_reports, name="subdistrict_reports"),
    path("monthly-reports/<int:pk>/", views.report_page, name="report"),
    path("monthly-reports/<int:pk>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("monthly-reports/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
]

"""Monthly reports (report_views.py): generated in the background, kept for download."""

urlpatterns = []

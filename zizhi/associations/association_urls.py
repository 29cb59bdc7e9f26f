"""URLs: see urls.py."""

urlpatterns = []

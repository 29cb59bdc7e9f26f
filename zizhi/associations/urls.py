"""URLs of associations, volunteers, activities and service records (namespace
`associations`); each area keeps its own list."""

from .activity_urls import urlpatterns as activity_urls
from .association_urls import urlpatterns as association_urls
from .record_urls import urlpatterns as record_urls

app_name = "associations"
urlpatterns = association_urls + activity_urls + record_urls

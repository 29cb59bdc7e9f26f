from . import motion_urls, suggestion_urls

app_name = "proposals"
urlpatterns = [*suggestion_urls.urlpatterns, *motion_urls.urlpatterns]

from django.urls import include, path

from . import views

app_name = "stats"
urlpatterns = [
    path("c/<str:code>/dashboard/", views.community_dashboard, name="community"),
    path("s/<str:code>/dashboard/", views.subdistrict_dashboard, name="subdistrict"),
    path("city/<str:code>/dashboard/", views.city_dashboard, name="city"),
    path("c/<str:code>/dashboard/<str:figure>/", views.figure_list, name="list"),
    path("", include("zizhi.stats.report_urls")),
]

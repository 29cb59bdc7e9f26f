"""URLs of the residents' suggestions pages (namespace `proposals`, spliced into urls.py)."""

from django.urls import path

from . import resident_views, staff_views, subdistrict_views

urlpatterns = [
    # residents and the public (resident_views.py)
    path("c/<str:code>/suggestions/", resident_views.board, name="board"),
    path("c/<str:code>/suggestions/new/", resident_views.new, name="new"),
    path("c/<str:code>/suggestions/similar/", resident_views.similar, name="similar"),
    path("c/<str:code>/suggestions/<int:pk>/", resident_views.detail, name="suggestion"),
    path("c/<str:code>/suggestions/<int:pk>/filed/", resident_views.filed, name="filed"),
    path("c/<str:code>/suggestions/<int:pk>/support/", resident_views.support, name="support"),
    path("c/<str:code>/suggestions/<int:pk>/rate/", resident_views.rate, name="rate"),
    path(
        "c/<str:code>/suggestions/<int:pk>/photos/<int:photo_id>/",
        resident_views.photo,
        name="photo",
    ),
    path("suggestions/new/", resident_views.start, name="start"),
    path("suggestions/mine/", resident_views.mine, name="mine"),
    path("suggestions/status/", resident_views.lookup, name="lookup"),
    # community staff (staff_views.py)
    path("c/<str:code>/suggestions/manage/", staff_views.staff_list, name="staff_list"),
    path("c/<str:code>/suggestions/manage/new/", staff_views.staff_new, name="staff_new"),
    path("c/<str:code>/suggestions/manage/settings/", staff_views.settings_page, name="settings"),
    path("c/<str:code>/suggestions/manage/export.xlsx", staff_views.export, name="export"),
    path(
        "c/<str:code>/suggestions/manage/<int:pk>/", staff_views.staff_detail, name="staff_detail"
    ),
    path(
        "c/<str:code>/suggestions/manage/<int:pk>/<slug:act>/",
        staff_views.staff_act,
        name="staff_act",
    ),
    # the subdistrict (subdistrict_views.py)
    path("s/<str:code>/suggestions/", subdistrict_views.overview, name="subdistrict"),
    path(
        "s/<str:code>/suggestions/export.xlsx",
        subdistrict_views.export,
        name="subdistrict_export",
    ),
]

from django.urls import path

from . import staff_views, views

app_name = "finance"
P = "c/<str:code>/finance/"
M = P + "manage/<int:year>-<int:month>/"
urlpatterns = [
    # public (views.py)
    path(P, views.public_list, name="public_list"),
    path(P + "<int:year>-<int:month>/", views.public_period, name="public_period"),
    path(P + "assets/", views.public_assets, name="public_assets"),
    path(P + "receipts/<int:pk>/", views.receipt, name="receipt"),
    # staff (staff_views.py)
    path(P + "manage/", staff_views.manage, name="manage"),
    path(P + "manage/template.xlsx", staff_views.template, name="template"),
    path(P + "manage/categories/", staff_views.add_category, name="add_category"),
    path(P + "manage/assets/", staff_views.assets, name="assets"),
    path(P + "manage/assets/<int:pk>/", staff_views.asset_edit, name="asset_edit"),
    path(M, staff_views.period, name="period"),
    path(M + "entries/", staff_views.add_entry, name="add_entry"),
    path(M + "entries/<int:entry_id>/delete/", staff_views.delete_entry, name="delete_entry"),
    path(M + "entries/<int:entry_id>/receipts/", staff_views.add_receipt, name="add_receipt"),
    path(M + "import/", staff_views.import_entries, name="import"),
    path(M + "export.xlsx", staff_views.export, name="export"),
    path(M + "<str:move>/", staff_views.move, name="move"),
    path("finance/review/", staff_views.review, name="review"),
]

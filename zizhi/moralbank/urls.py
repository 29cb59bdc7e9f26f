from django.urls import path

from . import staff_views, views

app_name = "moralbank"

urlpatterns = [
    path("bank/", views.my_account, name="account"),
    path("bank/statement/", views.statement, name="statement"),
    path("bank/give/", views.give, name="give"),
    path("bank/approvals/", views.approvals, name="approvals"),
    path("bank/approvals/<int:pk>/", views.decide, name="decide"),
    path("c/<str:code>/bank/", staff_views.desk, name="desk"),
]

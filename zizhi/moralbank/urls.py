from django.urls import path

from . import honour, staff_views, views

app_name = "moralbank"

urlpatterns = [
    path("bank/", views.my_account, name="account"),
    path("bank/statement/", views.statement, name="statement"),
    path("bank/give/", views.give, name="give"),
    path("bank/approvals/", views.approvals, name="approvals"),
    path("bank/approvals/<int:pk>/", views.decide, name="decide"),
    path("c/<str:code>/bank/", staff_views.desk, name="desk"),
    path("c/<str:code>/honour-roll/", honour.honour_roll, name="honour_roll"),
    path("bank/honour-roll/", honour.set_honour_roll, name="set_honour_roll"),
]

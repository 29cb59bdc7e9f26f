from django.urls import path

from . import branch_views, honour, redeem_views, staff_views, verify, views

app_name = "moralbank"

urlpatterns = [
    path("bank/", views.my_account, name="account"),
    path("bank/statement/", views.statement, name="statement"),
    path("bank/give/", views.give, name="give"),
    path("bank/approvals/", views.approvals, name="approvals"),
    path("bank/approvals/<int:pk>/", views.decide, name="decide"),
    path("bank/redeem/", redeem_views.redeem_page, name="redeem"),
    path("bank/redemptions/<int:pk>/cancel/", redeem_views.cancel_mine, name="cancel_redemption"),
    path("bank/help/", redeem_views.help_page, name="help"),
    path("bank/help/<int:pk>/", redeem_views.decide_help, name="decide_help"),
    path("bank/branches/<int:pk>/", branch_views.branch_desk, name="branch"),
    path("bank/branches/<int:pk>/statement/", branch_views.statement, name="branch_statement"),
    path("bank/verify/<str:token>/", verify.verify, name="verify"),
    path("c/<str:code>/bank/", staff_views.desk, name="desk"),
    path("c/<str:code>/honour-roll/", honour.honour_roll, name="honour_roll"),
    path("bank/honour-roll/", honour.set_honour_roll, name="set_honour_roll"),
]

from django.urls import path

from . import staff_views, views

app_name = "wishes"
urlpatterns = [
    # public wall and wish pages (views.py)
    path("c/<str:code>/wishes/", views.wall, name="wall"),
    path("c/<str:code>/wishes/<int:pk>/", views.detail, name="detail"),
    path("c/<str:code>/wishes/<int:pk>/claim/", views.claim, name="claim"),
    # the claimant
    path("wishes/claims/", views.claims, name="my_claims"),
    path("wishes/claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("wishes/claims/<int:pk>/contact/", views.contact, name="contact"),
    path("wishes/claims/<int:pk>/contacted/", views.record_contact, name="record_contact"),
    path("wishes/claims/<int:pk>/fulfilled/", views.record_fulfilment, name="record_fulfilment"),
    path("wishes/claims/<int:pk>/photo", views.proof_photo, name="proof_photo"),
    # the beneficiary
    path("wishes/mine/", views.mine, name="mine"),
    path("wishes/mine/<int:pk>/confirm/", views.confirm, name="confirm"),
    # the worker's desk (staff_views.py)
    path("c/<str:code>/wishes/desk/", staff_views.desk, name="desk"),
    path("c/<str:code>/wishes/desk/new/", staff_views.post_for, name="post_for"),
    path("c/<str:code>/wishes/desk/<int:pk>/", staff_views.staff_detail, name="staff_detail"),
    path("c/<str:code>/wishes/desk/<int:pk>/verify/", staff_views.verify, name="verify"),
    path("c/<str:code>/wishes/desk/<int:pk>/reject/", staff_views.reject, name="reject"),
    path(
        "c/<str:code>/wishes/desk/<int:pk>/unit-claim/", staff_views.unit_claim, name="unit_claim"
    ),
    path(
        "c/<str:code>/wishes/desk/<int:pk>/confirm/",
        staff_views.staff_confirm,
        name="staff_confirm",
    ),
]

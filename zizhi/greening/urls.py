from django.urls import path

from . import fund_views, resident_views, staff_views, views

app_name = "greening"
S = "c/<str:code>/greening/"
urlpatterns = [
    # public (views.py)
    path("c/<str:code>/plots/", views.public_plots_page, name="public_plots"),
    path("c/<str:code>/plots/fund/", views.fund_page, name="fund"),
    path("c/<str:code>/plots/<int:pk>/", views.public_plot, name="public_plot"),
    path(
        "c/<str:code>/plots/<int:pk>/photos/<int:photo_id>",
        views.plot_photo,
        name="plot_photo",
    ),
    path("c/<str:code>/plots/<int:pk>/logs/<int:log_id>/photo", views.log_photo, name="log_photo"),
    # residents (resident_views.py)
    path("greening/", resident_views.home, name="home"),
    path("greening/plots/<int:pk>/apply/", resident_views.apply, name="apply"),
    path("greening/adoptions/<int:pk>/", resident_views.my_adoption, name="my_adoption"),
    path("greening/my-money/", resident_views.my_money, name="my_money"),
    # staff (staff_views.py)
    path("greening/subdistrict/", fund_views.subdistrict, name="subdistrict"),
    path(S, staff_views.manage, name="manage"),
    path(S + "care-days/", staff_views.care_days_set, name="care_days"),
    path(S + "plots/new/", staff_views.plot_new, name="plot_new"),
    path(S + "plots/<int:pk>/", staff_views.plot, name="plot"),
    path(S + "plots/<int:pk>/edit/", staff_views.plot_edit, name="plot_edit"),
    path(S + "plots/<int:pk>/state/", staff_views.plot_move, name="plot_move"),
    path(S + "plots/<int:pk>/photos/", staff_views.plot_photo_add, name="plot_photo_add"),
    path(S + "plots/<int:pk>/inspections/", staff_views.inspect, name="inspect"),
    path(S + "plots/<int:pk>/sign.pdf", staff_views.sign_pdf, name="sign_pdf"),
    path(S + "adoptions/", staff_views.applications, name="applications"),
    path(S + "adoptions/register/", staff_views.register, name="register"),
    path(S + "adoptions/<int:pk>/", staff_views.adoption, name="adoption"),
    path(S + "adoptions/<int:pk>/review/", staff_views.review, name="review"),
    path(S + "adoptions/<int:pk>/agreement.pdf", staff_views.agreement_pdf, name="agreement_pdf"),
    path(S + "fund/", fund_views.fund_desk, name="fund_desk"),
    path(S + "fund/donations/", fund_views.donation_add, name="donation_add"),
    path(S + "fund/uses/", fund_views.fund_use_add, name="fund_use_add"),
]

from django.urls import path

from . import case_views, staff_views, views

app_name = "mediation"
urlpatterns = [
    # public statistics (no names)
    path("c/<str:code>/mediation/stats/", views.stats, name="stats"),
    path("s/<str:code>/mediation/stats/", views.subdistrict_stats, name="subdistrict_stats"),
    # a resident: my cases, asking for mediation
    path("mediation/", views.mine, name="mine"),
    path("mediation/apply/", views.apply, name="apply"),
    # a case: parties, mediators and the lead (case_views.py)
    path("mediation/cases/<int:pk>/", case_views.case_page, name="case"),
    path("mediation/cases/<int:pk>/assign/", case_views.assign, name="assign"),
    path("mediation/cases/<int:pk>/respond/", case_views.respond, name="respond"),
    path("mediation/cases/<int:pk>/sessions/", case_views.add_session, name="session"),
    path("mediation/cases/<int:pk>/outcome/", case_views.outcome, name="outcome"),
    path("mediation/cases/<int:pk>/follow-up/", case_views.follow_up, name="follow_up"),
    path("mediation/cases/<int:pk>/withdraw/", case_views.withdraw, name="withdraw"),
    path("mediation/cases/<int:pk>/agreement.pdf", case_views.agreement_pdf, name="agreement"),
    path("mediation/cases/<int:pk>/referral/", case_views.referral, name="referral"),
    # staff of the community (staff_views.py)
    path("c/<str:code>/mediation/", staff_views.register, name="register"),
    path("c/<str:code>/mediation/desk/", staff_views.desk, name="desk"),
    path("c/<str:code>/mediation/lead/", staff_views.lead, name="lead"),
]

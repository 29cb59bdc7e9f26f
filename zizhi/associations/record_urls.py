"""URLs of service records and certificates: see urls.py."""

from django.urls import path

from . import record_views as v

urlpatterns = [
    path("volunteer/records/", v.my_records, name="my_records"),
    path("volunteer/records/<int:pk>/correction/", v.request_correction, name="request_correction"),
    path("volunteer/corrections/", v.corrections, name="corrections"),
    path("volunteer/corrections/<int:pk>/answer/", v.answer_correction, name="answer_correction"),
    path("volunteer/certificates/", v.issue_certificate, name="issue_certificate"),
    path("volunteer/certificates/<str:number>.pdf", v.certificate_pdf, name="certificate_pdf"),
    path("verify/certificate/<str:code>/", v.verify, name="verify"),
]

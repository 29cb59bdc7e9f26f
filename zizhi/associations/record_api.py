"""API: a volunteer's service records and certificates; public certificate verification."""

from django.http import Http404
from ninja import Router, Status

from zizhi.notices.api import PUBLIC

from .access import get_my_resident
from .actions import certificates as certs
from .actions import records as rec
from .models import Certificate
from .schemas import CertificateIn, CertificateOut, HistoryOut, IssuedCertificateOut

router = Router(tags=["service records"])


@router.get(
    "/service-records/mine",
    response=HistoryOut,
    url_name="my_service_records",
    summary="我的服务记录、累计时长（分钟）和星级",
)
def mine(request):
    return rec.history(get_my_resident(request.auth))


@router.post(
    "/certificates",
    response={201: IssuedCertificateOut},
    url_name="issue_certificate",
    summary="出具本人的志愿服务证明",
)
def issue(request, payload: CertificateIn):
    cert = certs.do_issue_certificate(
        get_my_resident(request.auth),
        actor=request.auth,
        period_from=payload.period_from,
        period_to=payload.period_to,
    )
    return Status(201, cert)


@router.get(
    "/certificates/verify/{code}",
    response=CertificateOut,
    auth=PUBLIC,
    url_name="verify_certificate",
    summary="核验志愿服务证明（公开：只显示证明所载事实）",
)
def verify(request, code: str):
    cert = Certificate.objects.filter(verify_code=code).first()
    if cert is None:
        raise Http404
    return cert

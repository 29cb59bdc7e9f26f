"""The wishes app's rows of the permission matrix (tests/test_access_matrix.py uses them).

ROUTES: one `Try` per URL name of the app (pages and API); objects(world): the rows of
community HD that they need, reached from a `Try` as `o.wishes`.

worker_a holds a claim (recorded for a local unit) so the claimant's pages have an owner;
resident_a is the beneficiary of one fulfilled wish. Writes that pass the access check are
sent with input the action refuses (400, or a redirect with the message), so the rows stay
as they are for the next persona.
"""

from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from zizhi.registry.models import LocalUnit
from zizhi.wishes import actions
from zizhi.wishes.models import Claim

from . import factories as f
from .matrix_base import (
    LOGIN,
    Try,
    everyone,
    expect,
    hd_staff,
    logged_in,
    residents_only,
    url,
)
from .upload_files import REAL_PNG

PNG = REAL_PNG


def _wish(o):
    return o.wishes


def claimant(ok, anonymous=LOGIN) -> dict:
    """Only worker_a, who recorded the claim; everyone else 404 alike."""
    return expect(404, worker_a=ok, anonymous=anonymous)


def W(name):  # noqa: N802 - a row of o.wishes
    return lambda o: getattr(o.wishes, name).pk


ROUTES: dict[str, Try] = {
    # public wall and wish pages
    "wishes:wall": Try(url("wishes:wall", "HD"), everyone(200)),
    "wishes:detail": Try(url("wishes:detail", "HD", W("published")), everyone(200)),
    # none of the personas may claim (not a volunteer, member or leader): back with a message
    "wishes:claim": Try(url("wishes:claim", "HD", W("published")), logged_in(302), method="post"),
    # the claimant
    "wishes:my_claims": Try(url("wishes:my_claims"), logged_in(200)),
    "wishes:claim_detail": Try(url("wishes:claim_detail", W("claim")), claimant(200)),
    "wishes:contact": Try(url("wishes:contact", W("claim")), claimant(200), method="post"),
    "wishes:record_contact": Try(
        url("wishes:record_contact", W("claim")), claimant(302), method="post"
    ),
    "wishes:record_fulfilment": Try(
        url("wishes:record_fulfilment", W("claim")), claimant(302), method="post"
    ),
    # the proof photo: the claimant (worker_a), staff of HD, the beneficiary (resident_a)
    "wishes:proof_photo": Try(
        url("wishes:proof_photo", W("photo_claim")), hd_staff(200, resident_a=200)
    ),
    # the beneficiary
    "wishes:mine": Try(url("wishes:mine"), residents_only()),
    "wishes:confirm": Try(
        url("wishes:confirm", W("fulfilled_for_a")),
        expect(404, resident_a=302, anonymous=LOGIN),
        method="post",
    ),
    # the worker's desk
    "wishes:desk": Try(url("wishes:desk", "HD"), hd_staff()),
    "wishes:post_for": Try(url("wishes:post_for", "HD"), hd_staff(200), method="post"),
    "wishes:staff_detail": Try(url("wishes:staff_detail", "HD", W("submitted")), hd_staff()),
    "wishes:verify": Try(url("wishes:verify", "HD", W("submitted")), hd_staff(200), method="post"),
    "wishes:reject": Try(url("wishes:reject", "HD", W("submitted")), hd_staff(302), method="post"),
    "wishes:unit_claim": Try(
        url("wishes:unit_claim", "HD", W("published")), hd_staff(302), method="post"
    ),
    "wishes:staff_confirm": Try(
        url("wishes:staff_confirm", "HD", W("fulfilled")), hd_staff(302), method="post"
    ),
    # API
    "api:list_wishes": Try(url("api:list_wishes"), everyone(200)),
    "api:get_wish": Try(url("api:get_wish", W("published")), everyone(200)),
    "api:my_wishes": Try(url("api:my_wishes"), logged_in(200, anonymous=401)),
    "api:my_claims": Try(url("api:my_claims"), logged_in(200, anonymous=401)),
    "api:desk_wishes": Try(
        lambda o: url("api:desk_wishes")(o) + "?community=HD", hd_staff(200, anonymous=401)
    ),
    "api:post_wish": Try(
        url("api:post_wish"),
        hd_staff(400, anonymous=401),
        method="post",
        json=lambda o: {"text": "", "category": "goods", "beneficiary_id": o.wishes.person.pk},
    ),
    "api:claim_wish": Try(
        url("api:claim_wish", W("published")),
        logged_in(400, anonymous=401),
        method="post",
        json={"kind": "association"},
    ),
    "api:confirm_wish": Try(
        url("api:confirm_wish", W("fulfilled")),
        hd_staff(400, anonymous=401),
        method="post",
        json={"note": ""},
    ),
    "api:verify_wish": Try(
        url("api:verify_wish", W("submitted")),
        hd_staff(400, anonymous=401),
        method="post",
        json={"title": ""},
    ),
    "api:reject_wish": Try(
        url("api:reject_wish", W("submitted")),
        hd_staff(400, anonymous=401),
        method="post",
        json={"reason": ""},
    ),
    "api:reveal_contact": Try(
        url("api:reveal_contact", W("claim")), claimant(200, anonymous=401), method="post"
    ),
    "api:record_contact": Try(
        url("api:record_contact", W("claim")),
        claimant(400, anonymous=401),
        method="post",
        json={"note": ""},
    ),
    "api:record_fulfilment": Try(
        url("api:record_fulfilment", W("claim")),
        claimant(400, anonymous=401),
        method="post",
        json={"minutes": 0, "proof_text": ""},
    ),
}


def objects(world):
    worker = world.worker_a
    person = f.resident(world.hd, name="湖东独居老人")
    unit = LocalUnit.objects.create(community=world.hd, name="湖东超市")

    def post(who, text="想要一台收音机"):
        return actions.do_post_wish(who, actor=worker, text=text, category="goods")

    def publish(w):
        return actions.do_verify_wish(w, actor=worker, title="一位老人想要收音机", public_text="")

    def fulfilled(who, photo=False):
        w = publish(post(who, "希望有人陪去医院复查"))
        c = actions.do_record_unit_claim(w, actor=worker, local_unit=unit)
        actions.do_record_contact(c, actor=worker, note="已联系")
        upload = SimpleUploadedFile("p.png", PNG, content_type="image/png") if photo else None
        actions.do_record_fulfilment(c, actor=worker, minutes=30, proof_text="已陪同", photo=upload)
        return w

    submitted = post(person, "想要一副老花镜")
    published = publish(post(person))
    claimed = publish(post(f.resident(world.hd, name="湖东居民丙")))
    claim = actions.do_record_unit_claim(claimed, actor=worker, local_unit=unit)
    for_a = fulfilled(world.resident_a.resident, photo=True)
    return SimpleNamespace(
        person=person,
        submitted=submitted,
        published=published,
        claim=claim,
        fulfilled=fulfilled(f.resident(world.hd, name="湖东居民丁")),
        photo_claim=Claim.objects.get(wish=for_a),
        fulfilled_for_a=for_a,
    )

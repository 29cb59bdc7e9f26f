"""HD finance rows for the permission matrix (tests/test_access_matrix.py).

Periods are written directly (not through the actions) so each route has a row in the state
it needs, and the matrix's writes by one persona do not change what another route sees:

  2025-01 published, with an entry and a receipt   (public pages, receipt, export)
  2025-02 approved                                  (spare)
  2025-03 submitted                                 (web: approve)
  2025-04 approved                                  (API: publish)
  2025-05 submitted                                 (API: approve)
  2025-06 submitted                                 (API: return)
  2025-07 returned
  2025-08 draft, previous one returned: submitting it is refused   (staff pages, writes)
"""

import datetime
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from zizhi.finance import actions
from zizhi.finance.models import Asset, Category, Entry, Period, Receipt

from .upload_files import REAL_PNG

PNG = REAL_PNG


def finance_objects(world) -> SimpleNamespace:
    actions.ensure_categories(world.hd)
    office = Category.objects.get(community=world.hd, direction="expense", name="办公经费")

    def period(month, status):
        return Period.objects.create(
            community=world.hd,
            year=2025,
            month=month,
            status=status,
            created_by=world.worker_a,
            submitted_by=world.worker_a if status != "draft" else None,
        )

    published = period(1, "published")
    entry = Entry.objects.create(
        period=published,
        date=datetime.date(2025, 1, 5),
        direction="expense",
        category=office,
        amount_fen=1200,
        description="打印纸",
        created_by=world.worker_a,
    )
    receipt = Receipt(entry=entry, name="发票.png", content_type="image/png", size=len(PNG))
    receipt.file.save("r.png", SimpleUploadedFile("r.png", PNG), save=False)
    receipt.save()
    rows = SimpleNamespace(
        published=published,
        entry=entry,
        receipt=receipt,
        spare=period(2, "approved"),
        web_submitted=period(3, "submitted"),
        api_approved=period(4, "approved"),
        api_submitted=period(5, "submitted"),
        api_to_return=period(6, "submitted"),
        returned=period(7, "returned"),
        draft=period(8, "draft"),
        asset=Asset.objects.create(
            community=world.hd, name="活动室", kind="room", manager_name="王主任"
        ),
    )
    return rows

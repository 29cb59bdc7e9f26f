"""The import pages: upload -> preview -> confirm -> progress -> done, and the export."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zizhi.audit.models import Event
from zizhi.registry import import_jobs
from zizhi.registry.models import ImportJob, ImportStatus, Resident

from .rosterfiles import csv_bytes, good_rows, make_id, xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def inline_jobs(settings):
    settings.ZIZHI_BACKGROUND_JOBS = False


@pytest.fixture
def client_a(client, world):
    client.force_login(world.worker_a)
    return client


def upload(client, data, name="花名册.xlsx", code="HD"):
    return client.post(
        reverse("registry:import", args=[code]), {"file": SimpleUploadedFile(name, data)}
    )


def job_url(name, job, code="HD"):
    return reverse(f"registry:{name}", args=[code, job.pk])


def test_upload_page_offers_the_file_input_and_the_template(client_a):
    page = client_a.get(reverse("registry:import", args=["HD"])).content.decode()
    assert "花名册文件" in page
    assert 'type="file"' in page
    assert "上传并检查" in page
    assert "下载模板" in page

    template = client_a.get(reverse("registry:import_template", args=["HD"]))
    assert template["Content-Type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(template.content)).active
    assert [c.value for c in sheet[2]][:3] == ["姓名", "性别", "身份证号"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("花名册.txt", b"hello", "只能上传 .xlsx 或 .csv"),
        ("花名册.xlsx", b"", "文件是空的"),
        ("花名册.xlsx", b"PK\x03\x04broken", "已损坏"),
        ("花名册.csv", "名字,号码\n张三,1\n".encode(), "找不到表头"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "另存为"),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_nothing_is_stored(client_a, name, data, message):
    response = upload(client_a, data, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_huge_file_is_refused(client_a, settings):
    settings.ROSTER_MAX_BYTES = 1000
    response = upload(client_a, xlsx(good_rows()))
    assert "文件太大" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_with_bad_rows_shows_every_bad_row_and_no_confirm(client_a):
    rows = good_rows() + [
        ["", "", make_id(71), "", "", "", "", "", "", ""],
        ["坏人", "", make_id(72)[:17] + "0", "", "", "", "", "", "", ""],
    ]
    response = upload(client_a, xlsx(rows))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job_url("import_job", job)
    assert job.status == ImportStatus.INVALID

    page = client_a.get(job_url("import_job", job)).content.decode()
    assert "发现 2 行有问题" in page
    assert page.count('<tr class="bad">') == 2
    assert "第 5 行" in page and "第 6 行" in page
    assert "姓名为空" in page
    assert make_id(72)[:17] not in page  # the bad ID is shown masked
    assert Event.objects.get(verb="registry.upload_roster").summary["status"] == "invalid"
    assert "重新上传" in page
    assert "确认导入" not in page
    assert client_a.post(job_url("import_confirm", job)).status_code == 302
    assert not Resident.objects.filter(name="张三").exists()


def test_upload_preview_confirm_done(client_a, world, inline_jobs):
    response = upload(client_a, csv_bytes(good_rows()), "花名册.csv")
    job = ImportJob.objects.get()
    preview = client_a.get(response["Location"]).content.decode()
    assert "检查通过" in preview
    assert "确认导入" in preview
    uploaded = Event.objects.get(verb="registry.upload_roster")
    assert (uploaded.actor, uploaded.object_id) == (world.worker_a, str(job.pk))
    assert ">3</span>新增" in preview.replace("\n", "").replace("  ", "")

    response = client_a.post(job_url("import_confirm", job))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.counts == {"new": 3, "updated": 0, "unchanged": 0}
    assert bytes(job.data) == b""
    assert job.finished_at is not None
    assert Resident.objects.filter(community=world.hd, name="李秀英").exists()
    assert Event.objects.filter(verb="registry.import_residents", community=world.hd).count() == 1

    done = client_a.get(job_url("import_job", job)).content.decode()
    assert "导入完成" in done
    assert reverse("registry:roster", args=["HD"]) in done
    assert "hx-trigger" not in done

    again = client_a.post(job_url("import_confirm", job), follow=True).content.decode()
    assert "已经开始或已经完成" in again
    assert Event.objects.filter(verb="registry.import_residents").count() == 1


def test_reuploading_the_same_file_previews_all_unchanged(client_a, inline_jobs):
    upload(client_a, xlsx(good_rows()))
    client_a.post(job_url("import_confirm", ImportJob.objects.get()))
    upload(client_a, xlsx(good_rows()))
    second = ImportJob.objects.order_by("-id").first()
    assert second.counts == {"new": 0, "updated": 0, "unchanged": 3}


def test_progress_partial_polls_while_importing(client_a):
    upload(client_a, xlsx(good_rows()))
    job = ImportJob.objects.get()
    job.move_to(ImportStatus.IMPORTING)
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=2)

    partial = client_a.get(job_url("import_progress", job), HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "<progress" in html and 'value="2"' in html and 'max="3"' in html
    assert 'hx-trigger="every 1s"' in html
    assert "<html" not in html
    page = client_a.get(job_url("import_job", job)).content.decode()
    assert "<progress" in page


def test_a_failed_import_offers_to_continue(client_a, inline_jobs, monkeypatch):
    upload(client_a, xlsx(good_rows()))
    job = ImportJob.objects.get()

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Resident.objects, "bulk_create", boom)
    client_a.post(job_url("import_confirm", job))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    page = client_a.get(job_url("import_job", job)).content.decode()
    assert "导入中断" in page and "继续导入" in page
    assert "database went away" not in page

    monkeypatch.undo()
    client_a.post(job_url("import_confirm", job))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE


def test_worker_of_another_community_gets_404(client, world):
    client.force_login(world.worker_a)
    upload(client, xlsx(good_rows()))
    job = ImportJob.objects.get()
    client.force_login(world.worker_b)
    for name in ("import_job", "import_progress"):
        assert client.get(job_url(name, job)).status_code == 404
    assert client.post(job_url("import_confirm", job)).status_code == 404
    # Their own community's URL with HD's job id is 404 as well.
    assert client.get(job_url("import_job", job, code="XH")).status_code == 404
    for name in ("import", "import_template", "export"):
        assert client.get(reverse(f"registry:{name}", args=["HD"])).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED


def test_residents_and_anonymous_cannot_reach_the_pages(client, world):
    url = reverse("registry:import", args=["HD"])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(world.resident_a)
    assert client.get(url).status_code == 404
    assert client.get(reverse("registry:export", args=["HD"])).status_code == 404


def test_export_downloads_an_audited_xlsx(client_a, world, inline_jobs):
    upload(client_a, xlsx(good_rows()))
    client_a.post(job_url("import_confirm", ImportJob.objects.get()))
    response = client_a.get(reverse("registry:export", args=["HD"]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[0].value for row in sheet.iter_rows(min_row=3)]
    assert {"张三", "李秀英", "曾国藩"} <= set(names)
    assert make_id(11) not in str([[c.value for c in r] for r in sheet.iter_rows()])
    event = Event.objects.get(verb="registry.export_roster")
    assert event.actor_id == world.worker_a.id and event.community_id == world.hd.id


@pytest.mark.django_db(transaction=True)
def test_background_import_runs_in_a_thread(client, world, settings, monkeypatch):
    settings.ZIZHI_BACKGROUND_JOBS = True
    threads = []
    real_start = import_jobs.start
    monkeypatch.setattr(
        import_jobs, "start", lambda job, actor: threads.append(real_start(job, actor))
    )
    client.force_login(world.worker_a)
    upload(client, xlsx(good_rows()))
    job = ImportJob.objects.get()

    response = client.post(job_url("import_confirm", job))
    assert response.status_code == 302
    assert len(threads) == 1
    threads[0].join(timeout=60)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.processed_rows == 3
    done = client.get(job_url("import_progress", job)).content.decode()
    assert "导入完成" in done and "hx-trigger" not in done

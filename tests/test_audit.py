"""The hash-chained audit log: chaining, tamper detection, append-only, scope of the page."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from zizhi.audit.log import chain_key, record, verify
from zizhi.audit.models import ChainHead, Event

from . import factories as f

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database triggers are a PostgreSQL feature"
)


def _events(world, n=5):
    r = f.resident(world.hd)
    for i in range(n):
        record(world.worker_a, "test.touch", r, community=world.hd, after={"i": i})
    record(world.worker_b, "test.touch", None, community=world.xh)
    record(world.subadmin, "test.subdistrict", None, subdistrict=world.dh)
    return r


def _tamper(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")


def test_events_chain_per_community(world):
    _events(world)
    hd = list(Event.objects.filter(chain=chain_key(world.hd)).order_by("seq"))
    assert [e.seq for e in hd] == [1, 2, 3, 4, 5]
    assert hd[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in zip(hd, hd[1:], strict=False))
    assert Event.objects.filter(chain=chain_key(world.xh)).count() == 1
    assert Event.objects.get(verb="test.subdistrict").chain == f"subdistrict:{world.dh.pk}"
    assert ChainHead.objects.get(key=chain_key(world.hd)).last_hash == hd[-1].hash
    checked, problems = verify()
    assert problems == [] and checked == Event.objects.count()


def test_event_records_actor_scope_object_and_ip(client, world):
    r = f.resident(world.hd)
    client.force_login(world.worker_a)
    client.post(reverse("registry:reveal_id", args=["HD", r.pk]), REMOTE_ADDR="192.0.2.7")
    e = Event.objects.get(verb="resident.reveal_id_number")
    assert (e.actor, e.community, e.subdistrict_id) == (world.worker_a, world.hd, world.dh.pk)
    assert (e.object_type, e.object_id, e.ip) == ("registry.resident", str(r.pk), "192.0.2.7")


def test_changed_content_is_found(world):
    _events(world)
    victim = Event.objects.filter(chain=chain_key(world.hd)).get(seq=3)
    _tamper(
        "UPDATE audit_event SET summary = %s WHERE id = %s", ['{"after": {"i": 99}}', victim.pk]
    )
    _, problems = verify()
    assert len(problems) == 1
    assert (problems[0].seq, problems[0].event_id) == (3, victim.pk)
    assert "hash" in problems[0].reason


def test_rehashed_row_breaks_the_next_link(world):
    """An attacker who recomputes the tampered row's hash still breaks the chain."""
    from zizhi.audit.log import compute_hash

    _events(world)
    victim = Event.objects.filter(chain=chain_key(world.hd)).get(seq=2)
    victim.summary = {"after": {"i": 42}}
    new_hash = compute_hash(victim)
    _tamper(
        "UPDATE audit_event SET summary = %s, hash = %s WHERE id = %s",
        ['{"after": {"i": 42}}', new_hash, victim.pk],
    )
    _, problems = verify()
    assert problems[0].seq == 3 and "prev_hash" in problems[0].reason


def test_deleted_row_is_found(world):
    _events(world)
    victim = Event.objects.filter(chain=chain_key(world.hd)).get(seq=4)
    _tamper("DELETE FROM audit_event WHERE id = %s", [victim.pk])
    _, problems = verify()
    assert problems[0].seq == 4 and "missing" in problems[0].reason


def test_deleted_last_row_is_found(world):
    _events(world)
    victim = Event.objects.filter(chain=chain_key(world.hd)).get(seq=5)
    _tamper("DELETE FROM audit_event WHERE id = %s", [victim.pk])
    _, problems = verify()
    assert problems[0].chain == chain_key(world.hd) and "end" in problems[0].reason


def test_verify_command(world, capsys):
    _events(world)
    call_command("audit", "verify", verbosity=0)
    assert "OK" in capsys.readouterr().out
    victim = Event.objects.filter(chain=chain_key(world.hd)).get(seq=1)
    _tamper("UPDATE audit_event SET verb = %s WHERE id = %s", ["test.forged", victim.pk])
    with pytest.raises(CommandError):
        call_command("audit", "verify", verbosity=0)
    assert f"event id {victim.pk}" in capsys.readouterr().err


def test_event_rolls_back_with_the_action(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        record(world.worker_a, "test.rolled_back", None, community=world.hd)
        raise RuntimeError
    assert not Event.objects.filter(verb="test.rolled_back").exists()
    record(world.worker_a, "test.after", None, community=world.hd)
    assert verify()[1] == []


@on_postgres
def test_postgres_rejects_update_and_delete(world):
    _events(world)
    e = Event.objects.first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=e.pk).update(verb="x")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=e.pk).delete()


def test_page_shows_only_events_of_the_scope(client, world):
    _events(world)
    client.force_login(world.worker_b)
    html = client.get(reverse("audit:events")).content.decode()
    assert html.count("test.touch") == 1
    client.force_login(world.subadmin)
    html = client.get(reverse("audit:events")).content.decode()
    assert html.count("test.touch") == 6 and "test.subdistrict" in html
    client.force_login(world.worker_c)
    assert "test.touch" not in client.get(reverse("audit:events")).content.decode()
    client.force_login(world.resident_a)
    assert client.get(reverse("audit:events")).status_code == 404


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_in_many_communities_keep_every_chain_valid():
    """8 threads write 25 events each into 4 communities at once; no event is lost or forked."""
    sub = f.subdistrict("cc", "并发街道")
    communities = [f.community(sub, f"C{i}") for i in range(4)]
    actor = f.user(name="并发")
    errors = []

    def work(n):
        try:
            for i in range(25):
                with transaction.atomic():
                    record(actor, "test.concurrent", None, community=communities[(n + i) % 4])
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Event.objects.filter(verb="test.concurrent").count() == 200
    checked, problems = verify()
    assert problems == [] and checked == 200
    for c in communities:
        assert ChainHead.objects.get(key=chain_key(c)).seq == 50

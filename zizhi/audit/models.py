from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zizhi.registry.models import Community, Subdistrict


class ChainHead(models.Model):
    """The tip of one hash chain. One chain per community (or subdistrict, or 'global'),
    so writes in different communities never queue behind one lock."""

    key = models.CharField(max_length=40, primary_key=True)
    seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)


class Event(models.Model):
    """One audited action. Append-only: PostgreSQL rejects UPDATE and DELETE by trigger.

    Most events are chained when written (seq, prev_hash and hash set under the chain's head
    lock). A few frequent ones (online ballots) are written unsealed (seq NULL, hashes empty,
    no head lock) and sealed into their chain later in a batch (log.seal): the one UPDATE
    the trigger lets through is that sealing, and nothing else of the row may change."""

    chain = models.CharField(max_length=40)
    seq = models.BigIntegerField(null=True)  # NULL: not sealed into the chain yet
    created_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        db_constraint=False,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_label = models.CharField(_("操作人"), max_length=100)
    subdistrict = models.ForeignKey(
        Subdistrict,
        on_delete=models.DO_NOTHING,
        null=True,
        db_constraint=False,
        related_name="+",
    )
    # Indexed by Meta.indexes (community, -created_at), which also serves community alone; the
    # verb is only ever filtered within a community's or subdistrict's events. Every index is
    # written on every event, the most frequent insert of all.
    community = models.ForeignKey(
        Community,
        on_delete=models.DO_NOTHING,
        null=True,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    verb = models.CharField(_("动作"), max_length=60)
    object_type = models.CharField(_("对象类型"), max_length=60)
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    summary = models.JSONField(_("摘要"), default=dict)
    ip = models.GenericIPAddressField(null=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="event_unique_chain_seq"),
        ]
        indexes = [
            models.Index(fields=["community", "-created_at"]),
            models.Index(
                fields=["chain", "created_at"],
                condition=models.Q(seq__isnull=True),
                name="audit_event_unsealed",
            ),
        ]

    def __str__(self):
        return f"{self.verb} {self.object_repr}"

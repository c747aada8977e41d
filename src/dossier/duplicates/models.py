"""Likely duplicate profiles waiting for review, and the merges made of them."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossier.core.models import Property
from dossier.guests.models import Guest


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("待审核")
    MERGED = "merged", _("已合并")
    DISMISSED = "dismissed", _("不是同一人")


class DuplicateCandidate(models.Model):
    """Two profiles that may be one guest: ``guest_a`` has the smaller id."""

    property = models.ForeignKey(Property, on_delete=models.PROTECT)
    guest_a = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="+")
    guest_b = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("相似度"))
    evidence = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=CandidateStatus.choices, default="open"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("疑似重复档案")
        verbose_name_plural = _("疑似重复档案")
        permissions = [("merge_guest", _("审核与合并重复档案"))]
        constraints = [
            models.UniqueConstraint(
                fields=["guest_a", "guest_b"], name="duplicate_pair_once"
            ),
            models.CheckConstraint(
                condition=models.Q(guest_a__lt=models.F("guest_b")),
                name="duplicate_pair_ordered",
            ),
        ]
        indexes = [
            models.Index(
                fields=["property", "status", "-score"], name="duplicate_queue"
            ),
            models.Index(fields=["guest_b"], name="duplicate_guest_b"),
        ]

    def __str__(self) -> str:
        return f"#{self.guest_a_id} ≈ #{self.guest_b_id} ({self.score})"


class Merge(models.Model):
    """``duplicate`` merged into ``master``, with what moved, so it can be undone.

    ``snapshot`` holds the ids of every row moved per table, the rows left on the
    duplicate because the master already had the same value, the profile fields
    changed on the master (before and after), the preference notes appended and the
    opt-outs added; see :mod:`dossier.duplicates.merge`.
    """

    property = models.ForeignKey(Property, on_delete=models.PROTECT)
    master = models.ForeignKey(Guest, on_delete=models.PROTECT, related_name="+")
    duplicate = models.ForeignKey(Guest, on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(
        DuplicateCandidate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merges",
    )
    snapshot = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    merged_at = models.DateTimeField(default=timezone.now)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("档案合并")
        verbose_name_plural = _("档案合并")
        constraints = [
            models.UniqueConstraint(
                fields=["duplicate"],
                condition=models.Q(undone_at__isnull=True),
                name="merged_once",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.duplicate_id} → #{self.master_id}"

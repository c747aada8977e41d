"""The table of search keys, one row per normalised key of a guest, and saved searches.

Every key is folded (case, width, accents, traditional → simplified) and prefixed with
its kind, so one B-tree index answers exact and prefix queries on SQLite and PostgreSQL.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossier.core.models import Property
from dossier.guests.models import Guest


class SearchKey(models.Model):
    # The (guest, key) index below serves every look-up by guest; a separate one on
    # the guest alone would only slow down writing a million keys. Keys are written
    # only with their guest and deleted with it by Django (on_delete), so PostgreSQL
    # need not check each one against the guests table (see migration 0008).
    guest = models.ForeignKey(
        Guest,
        on_delete=models.CASCADE,
        related_name="search_keys",
        db_index=False,
        db_constraint=False,
    )
    property_id = models.BigIntegerField()
    key = models.CharField(max_length=96)

    class Meta:
        indexes = [
            # varchar_pattern_ops lets PostgreSQL answer a key's start (LIKE 'x%',
            # or the byte range ~>=~ / ~<~ of a prepared look-up) from the index
            # whatever the database's collation; other databases ignore it.
            models.Index(
                fields=["key", "property_id"],
                name="searchkey_key",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            ),
            # (guest, key) answers "does this guest also have key k" from the index
            # alone, which every word after the first of a query asks.
            models.Index(fields=["guest", "key"], name="searchkey_guest_key"),
        ]

    def __str__(self) -> str:
        return self.key


class SavedSearch(models.Model):
    """A query with its filters, kept by a member of staff and maybe shared."""

    property = models.ForeignKey(Property, on_delete=models.CASCADE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    query = models.CharField(_("查询"), max_length=200, blank=True)
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    shared = models.BooleanField(_("共享给同事"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("保存的检索")
        verbose_name_plural = _("保存的检索")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"], name="saved_search_name_once"
            )
        ]

    def __str__(self) -> str:
        return self.name

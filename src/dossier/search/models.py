"""The table of search keys: one row per normalised key of a guest.

Every key is folded (case, width, accents, traditional → simplified) and prefixed with
its kind, so one B-tree index answers exact and prefix queries on SQLite and PostgreSQL.
"""

from django.db import models

from dossier.guests.models import Guest


class SearchKey(models.Model):
    guest = models.ForeignKey(
        Guest, on_delete=models.CASCADE, related_name="search_keys"
    )
    property_id = models.BigIntegerField()
    key = models.CharField(max_length=96)

    class Meta:
        indexes = [
            # varchar_pattern_ops lets PostgreSQL answer LIKE 'x%' from the index
            # whatever the database's collation; other databases ignore it.
            models.Index(
                fields=["key", "property_id"],
                name="searchkey_key",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            ),
            models.Index(fields=["guest"], name="searchkey_guest"),
        ]

    def __str__(self) -> str:
        return self.key

"""``dossier lookup QUERY``: the guests the desk would see for a phone, ID, name, room."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dossier.core.properties import property_default
from dossier.guests.selectors import CardViewer, guest_cards
from dossier.search.errors import SearchError
from dossier.search.selectors import guest_lookup, hits_why, query_notice


class Command(BaseCommand):
    help = "按手机（全号或后四位）、证件号、姓名、拼音、房号、卡号或单位查找客人。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="+", help="what to look for")
        parser.add_argument(
            "--json", action="store_true", help="print the cards as JSON"
        )
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument(
            "--department", default="", help="show the preferences that matter to it"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        query = " ".join(options["query"])
        prop = property_default()
        try:
            hits = guest_lookup(
                property_id=prop.pk, query=query, limit=options["limit"]
            )
        except SearchError as error:
            raise CommandError(error.message) from None
        notice = query_notice(query)
        viewer = CardViewer(
            department=options["department"], sees_full_id=False, sees_spend=False
        )
        found = guest_cards([hit.guest_id for hit in hits], viewer=viewer)
        by_id = {card["id"]: card for card in found}
        why = hits_why(hits)
        cards = [
            {**by_id[hit.guest_id], "why": why[hit.guest_id]}
            for hit in hits
            if hit.guest_id in by_id
        ]
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"matches": cards, "notice": notice}, ensure_ascii=False, indent=2
                )
            )
            return
        if notice:
            self.stderr.write(notice)
        if not cards:
            self.stdout.write(f"没有找到与“{query}”匹配的客人。")
            return
        for card in cards:
            self.stdout.write(self._line(card))

    def _line(self, card: dict[str, Any]) -> str:
        alerts = "；".join(f"{a['label']}：{a['text']}" for a in card["alerts"])
        parts = [
            f"#{card['id']}",
            card["honorific"],
            f"（{card['name']}）",
            f"{card['class']} 类",
            f"VIP {card['vip']}" if card["vip"] else "",
            card["mobile_masked"],
            f"⚠ {alerts}" if alerts else "",
            f"[{card['why']['label']} {card['why']['matched']}]".replace(" ]", "]"),
        ]
        return "  ".join(part for part in parts if part)

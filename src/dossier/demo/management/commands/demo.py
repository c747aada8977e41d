"""``dossier demo``: load the demo property built from real public bookings."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dossier.core.properties import property_default
from dossier.demo.accounts import ADMIN_USERNAME, demo_admin_ensure
from dossier.demo.build import DEFAULT_SEED, DemoError, demo_load
from dossier.demo.classes import demo_classes
from dossier.guests.models import Guest
from dossier.records.demo import records_demo


class Command(BaseCommand):
    help = (
        "载入演示酒店：119,390 条真实预订（Hotel booking demand, CC BY 4.0）"
        "变成客人、住店记录和客史档案；首次运行时创建管理员账号。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bookings",
            type=int,
            default=None,
            help="load only N bookings, spread evenly",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if any guest exists"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stderr.style_func = None
        if options["bookings"] is not None and options["bookings"] < 1:
            raise CommandError("--bookings 必须是正整数")
        if options["if_empty"] and Guest.objects.exists():
            self._say("已有客人档案，未载入演示数据。")
            return
        password = demo_admin_ensure()
        if password is not None:
            self.stdout.write(f"管理员账号: {ADMIN_USERNAME} / {password}")
            self.stdout.flush()
        try:
            report = demo_load(
                bookings=options["bookings"], seed=options["seed"], progress=self._say
            )
        except DemoError as error:
            raise CommandError(str(error)) from None
        self._say(
            f"演示数据已载入（今天 {report.today}）：预订 {report.bookings} 条，"
            f"客人 {report.guests} 位（营销授权 {report.consents} 条），住店记录 {report.stays} 条，"
            f"今日到店 {report.arrivals_today}，在住 {report.in_house}，"
            f"房费 {report.revenue} 元，用时 {report.seconds['index']:.1f} 秒。"
        )
        self._say(records_demo(prop=property_default()).summary())
        classes = demo_classes(property_default())
        self._say(
            "客户分级已按演示酒店的消费设定并计算："
            + "，".join(f"{k} 类 {n} 位" for k, n in sorted(classes.by_class.items()))
        )

    def _say(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()

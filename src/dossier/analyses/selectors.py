"""The analyses by name; each takes a property and a period and returns a report."""

from collections.abc import Callable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from dossier.analyses.guests import loyalty_report, profile_report
from dossier.analyses.outlook import consumption_report, future_report, promotion_report
from dossier.analyses.profit import profit_report
from dossier.analyses.reports import Period, Report
from dossier.core.models import Property

Builder = Callable[[Property, Period], Report]

ANALYSES: dict[str, tuple[str | Promise, Builder]] = {
    "profile": (gettext_lazy("客户画像"), profile_report),
    "loyalty": (gettext_lazy("忠诚度"), loyalty_report),
    "profit": (gettext_lazy("利润"), profit_report),
    "future": (gettext_lazy("前景"), future_report),
    "promotion": (gettext_lazy("营销响应"), promotion_report),
    "consumption": (gettext_lazy("分类消费报告"), consumption_report),
}


def analysis_run(slug: str, prop: Property, period: Period) -> Report | None:
    found = ANALYSES.get(slug)
    return found[1](prop, period) if found else None

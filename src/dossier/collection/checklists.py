"""Department checklists of what to observe (G22) and the quick observation form.

Each department has prompts (housekeeping: pillows used, tea in the cup, TV channel,
AC setting, amenities used; F&B: dishes, flavours, wine brands, leftovers, requests for
soy sauce, vinegar or pickles), seeded from the source and editable per property. A
value noted against a prompt is filed as an observation through
:func:`dossier.guests.services.observation_add`, with the preference item the prompt
stands for, so that a reviewer can confirm it into the profile.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dossier.collection.errors import CollectionError, FieldsInvalid
from dossier.collection.models import ChecklistItem, ValueKind
from dossier.core.audit import AuditAction, audit
from dossier.core.models import Department, Property
from dossier.guests.errors import GuestError
from dossier.guests.models import Guest, Observation, PreferenceItem
from dossier.guests.services import observation_add


@dataclass(frozen=True)
class Prompt:
    label: str
    kind: str
    hint: str = ""
    choices: tuple[str, ...] = ()
    unit: str = ""
    item: str = ""


HOUSEKEEPING = Department.HOUSEKEEPING
FOOD_BEVERAGE = Department.FOOD_BEVERAGE
DEFAULT_CHECKLISTS: dict[str, tuple[str, list[Prompt]]] = {
    HOUSEKEEPING: (
        "整理客房",
        [
            Prompt("枕头使用个数", "number", "床上用过的枕头数", unit="个"),
            Prompt(
                "茶杯中的茶叶",
                "choice",
                "整理茶杯时留意茶叶类别",
                ("绿茶", "红茶", "乌龙茶", "普洱", "花茶", "咖啡", "未饮用"),
                item="tea",
            ),
            Prompt("电视停留的频道", "text", "如 CCTV-5、凤凰卫视", item="tv_channel"),
            Prompt(
                "空调温度",
                "number",
                "客人调节后的温度",
                unit="°C",
                item="ac_temperature",
            ),
            Prompt(
                "客房用品使用情况",
                "text",
                "如拖鞋、浴袍、加床、未用洗漱包",
                item="amenities",
            ),
        ],
    ),
    FOOD_BEVERAGE: (
        "餐中服务",
        [
            Prompt("点选的菜品", "text", "客人选择的菜品种类", item="diet"),
            Prompt(
                "口味",
                "choice",
                "菜品的味别",
                ("清淡", "偏咸", "偏甜", "微辣", "重辣", "酸辣"),
                item="taste",
            ),
            Prompt("酒水品牌", "text", "如 茅台、五粮液、拉菲", item="wine"),
            Prompt("剩余菜品", "text", "剩下较多的菜品与数量"),
            Prompt(
                "对酱油、醋、咸菜等的要求",
                "choice",
                "就餐中另外要的佐料",
                ("酱油", "醋", "咸菜", "辣椒酱", "蒜泥"),
            ),
        ],
    ),
}
MAX_NUMBER = Decimal("100000")


def checklist_touchpoint(department: str) -> str:
    found = DEFAULT_CHECKLISTS.get(department)
    return found[0] if found else "日常服务"


def checklist_items(property: Property, department: str) -> QuerySet[ChecklistItem]:
    """The active prompts of ``department`` at ``property``, in order."""
    return ChecklistItem.objects.filter(
        property=property, department=department, active=True
    ).select_related("item")


@transaction.atomic
def checklists_seed(*, property: Property) -> int:
    """Give a property the source's prompts it does not have yet; safe to run twice."""
    items = {i.code: i for i in PreferenceItem.objects.all()}
    made = 0
    for department, (_title, prompts) in DEFAULT_CHECKLISTS.items():
        for position, prompt in enumerate(prompts, start=1):
            _item, created = ChecklistItem.objects.get_or_create(
                property=property,
                department=department,
                label=prompt.label,
                defaults={
                    "kind": prompt.kind,
                    "hint": prompt.hint,
                    "choices": list(prompt.choices),
                    "unit": prompt.unit,
                    "item": items.get(prompt.item),
                    "position": position,
                },
            )
            made += int(created)
    return made


@dataclass
class ChecklistInput:
    department: str
    label: str
    kind: str
    hint: str = ""
    choices: tuple[str, ...] = ()
    unit: str = ""
    item: PreferenceItem | None = None
    position: int = 0
    active: bool = True


@transaction.atomic
def checklist_item_save(
    *,
    actor: User,
    property: Property,
    data: ChecklistInput,
    existing: ChecklistItem | None = None,
) -> ChecklistItem:
    """Add a prompt to a department's checklist, or change one."""
    label = " ".join(data.label.split())
    if not label:
        raise CollectionError(_("请填写观察要点"), field="label")
    if data.department not in Department.values:
        raise CollectionError(
            _("部门“%(department)s”无效") % {"department": data.department},
            field="department",
        )
    if data.kind not in ValueKind.values:
        raise CollectionError(
            _("记录方式“%(kind)s”无效") % {"kind": data.kind}, field="kind"
        )
    choices = [c.strip() for c in data.choices if c.strip()]
    if data.kind == ValueKind.CHOICE and len(choices) < 2:
        raise CollectionError(_("选项式要点至少需要两个选项"), field="choices")
    clash = ChecklistItem.objects.filter(
        property=property, department=data.department, label=label
    )
    if existing is not None:
        clash = clash.exclude(pk=existing.pk)
    if clash.exists():
        raise CollectionError(
            _("该部门已有要点“%(label)s”") % {"label": label}, field="label"
        )
    row = existing or ChecklistItem(property=property)
    row.department, row.label, row.kind = data.department, label, data.kind
    row.hint, row.unit, row.item = data.hint.strip(), data.unit.strip(), data.item
    row.choices = choices if data.kind == ValueKind.CHOICE else []
    row.position, row.active = data.position, data.active
    row.save()
    audit(
        actor=actor,
        action=AuditAction.CHECKLIST_CHANGED,
        obj=row,
        label=label,
        active=row.active,
    )
    return row


def _value(prompt: ChecklistItem, raw: str) -> str:
    value = " ".join(raw.split())
    if len(value) > 200:
        raise CollectionError(
            _("“%(label)s”最多 200 字") % {"label": prompt.label}, field=str(prompt.pk)
        )
    if prompt.kind == ValueKind.NUMBER:
        try:
            number = Decimal(value.replace("，", ".").replace(",", "."))
        except InvalidOperation:
            raise CollectionError(
                _("“%(label)s”应填数字，收到“%(value)s”")
                % {"label": prompt.label, "value": value},
                field=str(prompt.pk),
            ) from None
        if not number.is_finite() or not 0 <= number <= MAX_NUMBER:
            raise CollectionError(
                _("“%(label)s”的数值“%(value)s”超出范围")
                % {"label": prompt.label, "value": value},
                field=str(prompt.pk),
            )
        return format(number.normalize(), "f")
    if prompt.kind == ValueKind.CHOICE:
        picked = [v for v in value.replace("，", "、").split("、") if v]
        unknown = [v for v in picked if v not in prompt.choices]
        if unknown:
            raise CollectionError(
                _("“%(label)s”没有选项“%(unknown)s”")
                % {"label": prompt.label, "unknown": unknown[0]},
                field=str(prompt.pk),
            )
        return "、".join(picked)
    return value


@transaction.atomic
def quick_observations_add(
    *,
    actor: User,
    guest: Guest,
    department: str,
    values: dict[int, str],
    note: str = "",
    touchpoint: str = "",
) -> list[Observation]:
    """File one observation per checklist prompt noted, and one for a free note.

    Every value is checked first: one bad value files nothing and names the prompt.
    """
    prompts = {p.pk: p for p in checklist_items(guest.property, department)}
    unknown = [pk for pk in values if pk not in prompts]
    if unknown:
        raise CollectionError(
            _("观察要点已停用或不属于本部门，请刷新页面"), field="items"
        )
    errors: dict[str, str] = {}
    cleaned: list[tuple[ChecklistItem, str]] = []
    for pk, raw in values.items():
        if not raw.strip():
            continue
        try:
            cleaned.append((prompts[pk], _value(prompts[pk], raw)))
        except CollectionError as error:
            errors[error.field] = error.message
    if errors:
        raise FieldsInvalid(errors)
    if not cleaned and not note.strip():
        raise CollectionError(_("请至少记录一项观察或填写备注"), field="items")
    touchpoint = touchpoint.strip() or checklist_touchpoint(department)
    filed = [_file(actor, guest, department, touchpoint, p, v) for p, v in cleaned]
    if note.strip():
        filed.append(
            observation_add(
                actor=actor,
                guest=guest,
                department=department,
                text=note,
                touchpoint=touchpoint,
                kind="note",
            )
        )
    return filed


def _file(
    actor: User,
    guest: Guest,
    department: str,
    touchpoint: str,
    prompt: ChecklistItem,
    value: str,
) -> Observation:
    text = f"{prompt.label}：{value}{(' ' + prompt.unit) if prompt.unit else ''}"
    item = prompt.item
    proposed = value
    if item is not None and item.kind == "choice" and value not in item.choices:
        # The value is kept in the text; only a value the catalogue takes is proposed.
        item, proposed = None, ""
    try:
        return observation_add(
            actor=actor,
            guest=guest,
            department=department,
            text=text,
            touchpoint=touchpoint,
            item=item,
            proposed_value=proposed if item else "",
        )
    except GuestError as error:
        raise CollectionError(
            f"“{prompt.label}”：{error.message}", field=str(prompt.pk)
        ) from None

"""Forms of the guest pages. They parse input; the services validate and write."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from dossier.core.models import Department, Property
from dossier.guests.dates import special_date_problem
from dossier.guests.errors import GuestError
from dossier.guests.models import (
    CalendarKind,
    Company,
    DocumentType,
    Gender,
    Guest,
    GuestClass,
    GuestPreference,
    ObservationKind,
    PreferenceItem,
    PreferenceKind,
    SpecialDate,
)
from dossier.guests.services import EDITABLE_FIELDS, GuestInput, IdentityInput
from dossier.web.widgets import DatePicker

# Where a service's error lands when its field has another name in the form.
ERROR_FIELDS = {"phone": "mobiles", "surname": "surname", "id_number": "id_number"}


def add_guest_error(form: forms.BaseForm, error: GuestError) -> None:
    """Show ``error`` next to the field it names, or above the form."""
    name = ERROR_FIELDS.get(error.field, error.field)
    form.add_error(name if name in form.fields else None, error.message)


class GuestForm(forms.Form):
    """A guest's profile (G1 and the personal fields of G3)."""

    full_name = forms.CharField(label=_("姓名"), max_length=100)
    surname = forms.CharField(
        label=_("姓"),
        max_length=40,
        required=False,
        help_text=_("留空则自动拆分（可识别欧阳、司马等复姓）；填写则以此为准"),
    )
    gender = forms.ChoiceField(label=_("性别"), choices=Gender.choices, required=False)
    birth_date = forms.DateField(
        label=_("出生日期"),
        required=False,
        widget=DatePicker(),
    )
    mobiles = forms.CharField(
        label=_("电话"),
        max_length=200,
        required=False,
        help_text=_("手机或带区号的固定电话（如 021-6123 4567），可填多个，用逗号分隔"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    id_type = forms.ChoiceField(
        label=_("证件类型"), choices=DocumentType.choices, required=False
    )
    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    title = forms.CharField(label=_("职务"), max_length=100, required=False)
    company = forms.ModelChoiceField(
        label=_("所属单位"), queryset=Company.objects.none(), required=False
    )
    employer = forms.CharField(
        label=_("工作单位（原文）"), max_length=200, required=False
    )
    residence = forms.CharField(label=_("常住地"), max_length=200, required=False)
    email = forms.EmailField(label=_("电子邮件"), required=False)
    arrival_reason = forms.CharField(
        label=_("到达原因"), max_length=200, required=False
    )
    usual_rate = forms.DecimalField(
        label=_("常用房价"),
        max_digits=12,
        decimal_places=2,
        required=False,
        min_value=Decimal("0"),
    )
    payment_method = forms.CharField(
        label=_("付款方式"), max_length=100, required=False
    )
    guest_class = forms.ChoiceField(label=_("客户类别"), choices=GuestClass.choices)
    vip_level = forms.CharField(label=_("VIP 等级"), max_length=20, required=False)
    honorific_override = forms.CharField(
        label=_("称呼（人工指定）"),
        max_length=40,
        required=False,
        help_text=_("例如“王老师”；留空则按姓氏、性别和职务自动生成"),
    )
    blacklisted = forms.BooleanField(label=_("黑名单"), required=False)
    blacklist_reason = forms.CharField(
        label=_("黑名单原因"), max_length=300, required=False
    )
    family = forms.CharField(
        label=_("家庭情况"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    education = forms.CharField(label=_("学历"), max_length=100, required=False)
    professional_title = forms.CharField(
        label=_("职称"), max_length=100, required=False
    )
    personality = forms.CharField(
        label=_("性格"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Shown with the profiles that already hold a number typed here.
    shared_phone_ok = forms.BooleanField(
        label=_("已核对：不是同一位客人（如家人或单位共用的电话），仍然保存"),
        required=False,
    )
    shared_document_ok = forms.BooleanField(
        label=_("已核对证件原件：不是同一位客人，仍然保存"),
        required=False,
    )

    def __init__(self, *args: Any, property: Property, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A profile's class comes only from recomputation or a pin with a reason,
        # so that its history is complete: a new profile starts in C.
        self.fields["guest_class"].disabled = True
        self.fields["guest_class"].help_text = _(
            "分级按消费重算，或在客户分级页指定并写明原因"
        )
        company_field = self.fields["company"]
        assert isinstance(company_field, forms.ModelChoiceField)
        company_field.queryset = Company.objects.filter(property=property).order_by(
            "name"
        )
        self.fields["id_type"].initial = DocumentType.RESIDENT_ID
        self.fields["guest_class"].initial = GuestClass.C

    @classmethod
    def initial_of(cls, guest: Guest) -> dict[str, Any]:
        """The form's initial values for editing ``guest``."""
        initial = {name: getattr(guest, name) for name in EDITABLE_FIELDS}
        initial["surname"] = guest.surname if guest.surname_explicit else ""
        initial["mobiles"] = ", ".join(p.raw for p in guest.phones.all())
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("blacklisted") and not cleaned.get("blacklist_reason"):
            self.add_error("blacklist_reason", _("列入黑名单时请写明原因"))
        return cleaned

    def guest_input(self) -> GuestInput:
        """What the services need, from the cleaned data."""
        data = self.cleaned_data
        fields = {
            name: data.get(name) for name in EDITABLE_FIELDS if name in self.fields
        }
        for name, value in fields.items():
            if value is None and name not in ("birth_date", "usual_rate", "company"):
                fields[name] = ""
        documents = []
        if data.get("id_number"):
            documents.append(
                IdentityInput(
                    number=data["id_number"],
                    doc_type=data.get("id_type") or DocumentType.RESIDENT_ID,
                )
            )
        phones = [
            p.strip()
            for p in data.get("mobiles", "")
            .replace("，", ",")
            .replace("、", ",")
            .split(",")
        ]
        return GuestInput(
            fields=fields,
            surname=data.get("surname", "").strip(),
            phones=[p for p in phones if p],
            documents=documents,
            phones_complete=True,
        )


class PreferencesForm(forms.Form):
    """One field per catalogue item, of the item's kind, grouped by domain."""

    def __init__(
        self,
        *args: Any,
        items: list[PreferenceItem],
        current: list[GuestPreference],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        english = (get_language() or "").startswith("en")
        values = {p.item_id: p for p in current}
        self.items = items
        for item in items:
            label = item.name_en if english and item.name_en else item.name
            self.fields[item.code] = self._field(item, label)
            preference = values.get(item.pk)
            if preference is not None:
                self.initial[item.code] = (
                    preference.value_number
                    if item.kind == PreferenceKind.NUMBER
                    else preference.value_text
                )

    @staticmethod
    def _field(item: PreferenceItem, label: str) -> forms.Field:
        if item.kind == PreferenceKind.CHOICE and item.choices:
            choices = [("", "—")] + [(c, c) for c in item.choices]
            return forms.ChoiceField(label=label, choices=choices, required=False)
        if item.kind == PreferenceKind.NUMBER:
            return forms.DecimalField(
                label=label,
                required=False,
                max_digits=10,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
                help_text=item.unit,
            )
        return forms.CharField(label=label, required=False, max_length=300)

    def groups(self) -> list[tuple[PreferenceItem, list[forms.BoundField]]]:
        """The bound fields by group, in catalogue order, for the template."""
        grouped: dict[int, tuple[PreferenceItem, list[forms.BoundField]]] = {}
        for item in self.items:
            entry = grouped.setdefault(item.group_id, (item, []))
            entry[1].append(self[item.code])
        return list(grouped.values())

    def changed_values(self) -> list[tuple[PreferenceItem, str]]:
        """The items whose value changed, as text for ``preference_set``; "" clears."""
        changed = []
        for item in self.items:
            value = self.cleaned_data.get(item.code)
            if item.code not in self.changed_data:
                continue
            if value in (None, ""):
                changed.append((item, ""))
                continue
            text = (
                format(value.normalize(), "f") if isinstance(value, Decimal) else value
            )
            changed.append((item, str(text)))
        return changed


class SpecialDateForm(forms.ModelForm):  # type: ignore[type-arg]
    """A special date (G4), solar or lunar, with or without its year."""

    class Meta:
        model = SpecialDate
        fields = ["kind", "label", "calendar", "year", "month", "day", "is_leap_month"]
        widgets = {
            "calendar": forms.RadioSelect,
            "year": forms.NumberInput(attrs={"min": 1900, "max": 2100}),
            "month": forms.NumberInput(attrs={"min": 1, "max": 12}),
            "day": forms.NumberInput(attrs={"min": 1, "max": 31}),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("month") is None or cleaned.get("day") is None:
            return cleaned
        problem = special_date_problem(
            calendar_kind=cleaned.get("calendar") or CalendarKind.SOLAR,
            year=cleaned.get("year"),
            month=cleaned["month"],
            day=cleaned["day"],
            is_leap_month=bool(cleaned.get("is_leap_month")),
        )
        if problem is not None:
            self.add_error(problem[0], _(problem[1]))
        return cleaned


class PreferenceItemField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Catalogue items named in the user's language."""

    def label_from_instance(self, obj: Any) -> str:
        english = (get_language() or "").startswith("en")
        return str(obj.name_en if english and obj.name_en else obj.name)


class ObservationForm(forms.Form):
    """What a member of staff noticed (G5), optionally proposing a preference value."""

    kind = forms.ChoiceField(
        label=_("类型"),
        choices=ObservationKind.choices,
        initial=ObservationKind.PREFERENCE,
    )
    department = forms.ChoiceField(label=_("部门"), choices=Department.choices)
    touchpoint = forms.CharField(
        label=_("场合"),
        max_length=60,
        required=False,
        help_text=_("例如：入住登记、早餐、客房清扫"),
    )
    text = forms.CharField(
        label=pgettext_lazy("observation", "内容"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    item = PreferenceItemField(
        label=_("偏好项目"),
        queryset=PreferenceItem.objects.select_related("group"),
        required=False,
        empty_label=_("（不涉及）"),
    )
    proposed_value = forms.CharField(label=_("建议值"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("proposed_value") and not cleaned.get("item"):
            self.add_error("item", _("填写建议值时请选择偏好项目"))
        return cleaned


class CompanyForm(forms.ModelForm):  # type: ignore[type-arg]
    """A corporate client (G2), saved through ``company_save``."""

    class Meta:
        model = Company
        fields = [
            "name", "nature", "industry", "address", "responsible_person", "phones",
            "main_needs", "agreed_rate", "discount_rate", "payment_method",
            "contract_start", "contract_end", "guest_class", "notes",
        ]  # fmt: skip
        widgets = {
            "main_needs": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "contract_start": DatePicker(),
            "contract_end": DatePicker(),
        }

    def __init__(self, *args: Any, property: Property, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.property = property

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("contract_start"), cleaned.get("contract_end")
        if start and end and end < start:
            self.add_error("contract_end", _("合同结束日期不能早于开始日期"))
        rate = cleaned.get("discount_rate")
        if rate is not None and not Decimal("0") < rate <= Decimal("1"):
            self.add_error("discount_rate", _("折扣率应大于 0 且不超过 1，例如 0.850"))
        name = cleaned.get("name")
        duplicate = Company.objects.filter(property=self.instance.property, name=name)
        if name and duplicate.exclude(pk=self.instance.pk).exists():
            self.add_error("name", _("已有同名单位"))
        return cleaned


class HistoryFilterForm(forms.Form):
    """The filters above a guest's stays or bills; every field may stay empty."""

    since = forms.DateField(label=_("从"), required=False, widget=DatePicker())
    until = forms.DateField(label=_("到"), required=False, widget=DatePicker())
    status = forms.ChoiceField(label=_("状态"), required=False)
    outlet = forms.TypedChoiceField(
        label=_("营业点"), required=False, coerce=int, empty_value=None
    )
    dish = forms.CharField(label=_("菜品"), required=False, max_length=50)

    def __init__(
        self,
        data: Any,
        *,
        statuses: list[tuple[str, Any]],
        outlets: list[tuple[int, str]] | None = None,
    ) -> None:
        super().__init__(data)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("全部")), *statuses]
        if outlets is None:
            del self.fields["outlet"]
            del self.fields["dish"]
        else:
            outlet = self.fields["outlet"]
            assert isinstance(outlet, forms.ChoiceField)
            outlet.choices = [("", _("全部")), *outlets]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(
                _("开始日期 %(since)s 晚于结束日期 %(until)s"),
                params={"since": since.isoformat(), "until": until.isoformat()},
            )
        return data

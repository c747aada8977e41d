"""Forms of the personnel pages; they parse input, the services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dossier.personnel.models import GraduateKind, IssuerKind, RequesterKind
from dossier.personnel.services import FileInput, Handover, SignOutDetails
from dossier.web.widgets import DatePicker

DATE = DatePicker()


class FileForm(forms.Form):
    file_number = forms.CharField(label=_("档案编号"), max_length=32)
    employee_name = forms.CharField(label=_("姓名"), max_length=100)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    department = forms.CharField(label=_("部门"), max_length=100, required=False)
    position = forms.CharField(label=_("岗位"), max_length=100, required=False)
    hired_on = forms.DateField(label=_("入职日期"), required=False, widget=DATE)
    left_on = forms.DateField(label=_("离职日期"), required=False, widget=DATE)
    graduated_on = forms.DateField(
        label=_("毕业日期"),
        required=False,
        widget=DATE,
        help_text=_("应届毕业生填写，用于判断是否在两年择业期内"),
    )
    location = forms.CharField(label=_("存放位置"), max_length=100, required=False)
    box = forms.CharField(label=_("盒号"), max_length=32, required=False)
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["id_number"]

    def to_input(self, id_number: str = "") -> FileInput:
        data = self.cleaned_data
        return FileInput(
            file_number=data["file_number"],
            employee_name=data["employee_name"],
            id_number=data.get("id_number", id_number),
            department=data["department"],
            position=data["position"],
            hired_on=data["hired_on"],
            left_on=data["left_on"],
            graduated_on=data["graduated_on"],
            location=data["location"],
            box=data["box"],
            notes=data["notes"],
        )


class SituationForm(forms.Form):
    requester_kind = forms.ChoiceField(
        label=_("谁来提档"),
        choices=RequesterKind.choices,
        widget=forms.RadioSelect,
    )
    graduate = forms.ChoiceField(
        label=_("毕业生情形"),
        choices=GraduateKind.choices,
        widget=forms.RadioSelect,
        help_text=_("按档案中的毕业日期预选"),
    )
    party_transfer = forms.BooleanField(
        label=_("同时转移党组织关系（需党组织关系介绍信）"), required=False
    )


class DetailsForm(forms.Form):
    requester_name = forms.CharField(label=_("提档人姓名"), max_length=100)
    requester_id_number = forms.CharField(
        label=_("提档人身份证号"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    requester_phone = forms.CharField(
        label=_("联系电话"), max_length=40, required=False
    )
    destination_unit = forms.CharField(label=_("档案去向单位"), max_length=200)
    destination_address = forms.CharField(label=_("去向单位地址"), max_length=300)
    letter_number = forms.CharField(
        label=_("调档函、商调函或报到证编号"), max_length=100, required=False
    )
    issuer_kind = forms.ChoiceField(
        label=_("出函机构类别"),
        choices=[("", "—"), *list(IssuerKind.choices)],
        required=False,
    )
    issuer_name = forms.CharField(
        label=_("出函机构名称"), max_length=200, required=False
    )
    party_letter_number = forms.CharField(
        label=_("党组织关系介绍信编号"), max_length=100, required=False
    )

    def __init__(self, *args: Any, delegate: bool, party: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if delegate:
            self.fields["requester_name"].label = _("受托人姓名")
            self.fields["requester_id_number"].label = _("受托人身份证号")
        if not party:
            del self.fields["party_letter_number"]

    def to_details(self) -> SignOutDetails:
        data = self.cleaned_data
        return SignOutDetails(
            requester_name=data["requester_name"],
            requester_id_number=data["requester_id_number"],
            requester_phone=data["requester_phone"],
            destination_unit=data["destination_unit"],
            destination_address=data["destination_address"],
            letter_number=data["letter_number"],
            issuer_kind=data["issuer_kind"],
            issuer_name=data["issuer_name"],
            party_letter_number=data.get("party_letter_number", ""),
        )


class HandoverForm(forms.Form):
    seal_intact = forms.BooleanField(
        label=_("档案袋密封完好、无破损（已当场与提档人共同检查）"), required=False
    )
    seam_stamp_intact = forms.BooleanField(label=_("骑缝章清晰完整"), required=False)
    registration_card_handed = forms.BooleanField(
        label=_("报到证已随档案交付"), required=False
    )
    acknowledged = forms.BooleanField(
        label=_("提档人确认已收到密封完好的档案，不得私自拆封、涂改，并及时交接收单位"),
        required=False,
    )
    acknowledged_name = forms.CharField(label=_("签收人姓名"), max_length=100)
    receipt_due = forms.DateField(label=_("回执应到日期"), required=False, widget=DATE)

    def __init__(self, *args: Any, card: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not card:
            del self.fields["registration_card_handed"]

    def to_handover(self) -> Handover:
        data = self.cleaned_data
        return Handover(
            seal_intact=data["seal_intact"],
            seam_stamp_intact=data["seam_stamp_intact"],
            acknowledged=data["acknowledged"],
            acknowledged_name=data["acknowledged_name"],
            registration_card_handed=data.get("registration_card_handed", False),
            receipt_due=data["receipt_due"],
        )


class ReceiptForm(forms.Form):
    received_on = forms.DateField(label=_("回执收到日期"), widget=DATE)
    signed_by = forms.CharField(label=_("接收单位经办人"), max_length=100)
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200)


class PolicyForm(forms.Form):
    receipt_days = forms.IntegerField(
        label=_("回执期限（天）"), min_value=1, max_value=365
    )

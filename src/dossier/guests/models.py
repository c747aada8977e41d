"""The guest-history archive: who each guest and client company is and what they like."""

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from dossier.core.dates import full_date, month_day
from dossier.core.models import Department, Property
from dossier.core.money import MoneyField
from dossier.zh.fold import fold


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")
    UNKNOWN = "", _("未知")


class GuestClass(models.TextChoices):
    A = "A", _("A 类（重要客户）")
    B = "B", _("B 类（常客）")
    C = "C", _("C 类（散客/新客）")


class Company(models.Model):
    """A corporate client (单位客户档案)."""

    property = models.ForeignKey(Property, on_delete=models.PROTECT)
    name = models.CharField(_("单位名称"), max_length=200)
    nature = models.CharField(_("性质"), max_length=100, blank=True)
    industry = models.CharField(_("行业"), max_length=100, blank=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    responsible_person = models.CharField(_("负责人"), max_length=100, blank=True)
    phones = models.CharField(_("电话"), max_length=200, blank=True)
    main_needs = models.TextField(_("主要消费需求"), blank=True)
    agreed_rate = MoneyField(_("认定房价"), null=True, blank=True)
    discount_rate = models.DecimalField(
        _("折扣率"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("例如 0.850 表示八五折"),
    )
    payment_method = models.CharField(_("付款方式"), max_length=100, blank=True)
    contract_start = models.DateField(_("合同开始"), null=True, blank=True)
    contract_end = models.DateField(_("合同结束"), null=True, blank=True)
    guest_class = models.CharField(
        _("客户类别"), max_length=1, choices=GuestClass.choices, default="B"
    )
    notes = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("单位客户")
        verbose_name_plural = _("单位客户")
        constraints = [
            models.UniqueConstraint(
                fields=["property", "name"], name="company_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Guest(models.Model):
    """An individual guest's profile (散客档案); contact people of a company too."""

    property = models.ForeignKey(Property, on_delete=models.PROTECT)
    full_name = models.CharField(_("姓名"), max_length=100)
    surname = models.CharField(_("姓"), max_length=40, blank=True)
    given_name = models.CharField(_("名"), max_length=60, blank=True)
    surname_explicit = models.BooleanField(_("姓氏由人工指定"), default=False)
    name_is_han = models.BooleanField(default=True)
    name_pinyin = models.CharField(max_length=200, blank=True)
    name_sort = models.CharField(max_length=200, blank=True, db_index=True)
    gender = models.CharField(
        _("性别"), max_length=1, choices=Gender.choices, blank=True
    )
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    company = models.ForeignKey(
        Company,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("所属单位"),
    )
    is_company_contact = models.BooleanField(_("单位联系人"), default=False)
    employer = models.CharField(_("工作单位（原文）"), max_length=200, blank=True)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    residence = models.CharField(_("常住地"), max_length=200, blank=True)
    email = models.EmailField(_("电子邮件"), blank=True)
    arrival_reason = models.CharField(_("到达原因"), max_length=200, blank=True)
    usual_rate = MoneyField(_("常用房价"), null=True, blank=True)
    payment_method = models.CharField(_("付款方式"), max_length=100, blank=True)
    guest_class = models.CharField(
        _("客户类别"), max_length=1, choices=GuestClass.choices, default="C"
    )
    vip_level = models.CharField(_("VIP 等级"), max_length=20, blank=True)
    honorific_override = models.CharField(
        _("称呼（人工指定）"), max_length=40, blank=True
    )
    blacklisted = models.BooleanField(_("黑名单"), default=False)
    blacklist_reason = models.CharField(_("黑名单原因"), max_length=300, blank=True)
    family = models.TextField(_("家庭情况"), blank=True)
    education = models.CharField(_("学历"), max_length=100, blank=True)
    professional_title = models.CharField(_("职称"), max_length=100, blank=True)
    personality = models.TextField(_("性格"), blank=True)
    notes = models.TextField(_("备注"), blank=True)
    tags: "models.ManyToManyField[Tag, Any]" = models.ManyToManyField(
        "Tag", blank=True, related_name="guests"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("客人")
        verbose_name_plural = _("客人")
        # The duplicate check looks for guests born on the same day.
        indexes = [models.Index(fields=["property", "birth_date"], name="guest_birth")]
        permissions = [
            ("view_full_id_number", _("查看完整证件号码")),
            ("review_observation", _("审核客史信息")),
            ("export_guests", _("导出客史档案")),
        ]

    def __str__(self) -> str:
        return self.full_name


class DocumentType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAU_PERMIT = "hk_macau_permit", _("港澳居民来往内地通行证")
    TAIWAN_PERMIT = "taiwan_permit", _("台湾居民来往大陆通行证")
    HMT_RESIDENCE = "hmt_residence", _("港澳台居民居住证")
    FOREIGN_RESIDENCE = "foreign_residence", _("外国人永久居留身份证")
    OTHER = "other", _("其他证件")


class IdentityDocument(models.Model):
    """An identity document; the number is sealed at rest and found by a keyed hash."""

    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(
        _("证件类型"), max_length=20, choices=DocumentType.choices
    )
    number_sealed = models.TextField()
    number_index = models.CharField(max_length=64, db_index=True)
    number_masked = models.CharField(_("证件号码"), max_length=40)
    tail = models.CharField(max_length=4, db_index=True)
    country = models.CharField(_("签发国家/地区"), max_length=3, blank=True)

    class Meta:
        verbose_name = _("证件")
        verbose_name_plural = _("证件")

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.number_masked}"


class PhoneKind(models.TextChoices):
    MOBILE = "mobile", _("手机")
    LANDLINE = "landline", _("固话")
    OTHER = "other", _("其他")


class GuestPhone(models.Model):
    """A phone number as written, with its E.164 form for matching."""

    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="phones")
    raw = models.CharField(_("号码（原文）"), max_length=40)
    e164 = models.CharField(max_length=20, db_index=True)
    kind = models.CharField(max_length=10, choices=PhoneKind.choices, default="mobile")
    is_primary = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("电话")
        verbose_name_plural = _("电话")
        constraints = [
            models.UniqueConstraint(
                fields=["guest", "e164"], name="phone_once_per_guest"
            )
        ]

    def __str__(self) -> str:
        return self.raw


def card_key(number: str) -> str:
    """A card number as matching compares it: folded (width, case) and letters and
    digits only, so VIP-88001, vip 88001 and ＶＩＰ８８００１ are all ``vip88001``."""
    return "".join(char for char in fold(number) if char.isalnum())


class MemberCardManager(models.Manager["MemberCard"]):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list["MemberCard"]:
        """As Django's, each card given its ``number_key`` first."""
        cards = list(objs)
        for card in cards:
            card.number_key = card_key(card.number)
        return super().bulk_create(cards, *args, **kwargs)


class MemberCard(models.Model):
    """A member or VIP card; ``number_key`` is the number as matching compares it
    (see :func:`card_key`), kept in step by ``save`` and ``bulk_create``."""

    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="cards")
    number = models.CharField(_("卡号"), max_length=40, db_index=True)
    number_key = models.CharField(
        max_length=40, db_index=True, editable=False, default=""
    )
    level = models.CharField(_("等级"), max_length=40, blank=True)
    issued_on = models.DateField(_("发卡日期"), null=True, blank=True)

    objects = MemberCardManager()

    class Meta:
        verbose_name = _("会员卡")
        verbose_name_plural = _("会员卡")

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.number_key = card_key(self.number)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "number_key"}
        super().save(*args, **kwargs)


class Tag(models.Model):
    property = models.ForeignKey(Property, on_delete=models.PROTECT)
    name = models.CharField(_("标签"), max_length=40)

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")
        constraints = [
            models.UniqueConstraint(fields=["property", "name"], name="tag_unique")
        ]

    def __str__(self) -> str:
        return self.name


class PreferenceKind(models.TextChoices):
    CHOICE = "choice", _("选项")
    NUMBER = "number", _("数值")
    TEXT = "text", _("文字")


class PreferenceGroup(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("分组"), max_length=60)
    name_en = models.CharField(max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("偏好分组")
        verbose_name_plural = _("偏好分组")

    def __str__(self) -> str:
        return self.name


class PreferenceItem(models.Model):
    """A typed item of the preference catalogue, such as "AC temperature (°C)"."""

    group = models.ForeignKey(
        PreferenceGroup, on_delete=models.PROTECT, related_name="items"
    )
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("项目"), max_length=60)
    name_en = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=8, choices=PreferenceKind.choices)
    unit = models.CharField(_("单位"), max_length=12, blank=True)
    choices = models.JSONField(default=list, blank=True)
    departments = models.JSONField(
        default=list, blank=True, help_text=_("与之相关的部门代码；为空表示所有部门")
    )
    is_alert = models.BooleanField(
        _("警示"), default=False, help_text=_("如过敏、忌口：在客史卡片上醒目显示")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["group__position", "position"]
        verbose_name = _("偏好项目")
        verbose_name_plural = _("偏好项目")

    def __str__(self) -> str:
        return self.name

    def matters_to(self, department: str) -> bool:
        return not self.departments or department in self.departments


class GuestPreference(models.Model):
    """A guest's value for one catalogue item."""

    guest = models.ForeignKey(
        Guest, on_delete=models.CASCADE, related_name="preferences"
    )
    item = models.ForeignKey(PreferenceItem, on_delete=models.PROTECT)
    value_text = models.CharField(_("值"), max_length=300, blank=True)
    value_number = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("客人偏好")
        verbose_name_plural = _("客人偏好")
        constraints = [
            models.UniqueConstraint(fields=["guest", "item"], name="preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.display_value()}"

    def display_value(self) -> str:
        if self.item.kind == PreferenceKind.NUMBER and self.value_number is not None:
            number = format(self.value_number.normalize(), "f")
            return f"{number} {self.item.unit}".strip()
        return self.value_text


class SpecialDateKind(models.TextChoices):
    BIRTHDAY = "birthday", _("生日")
    WEDDING = "wedding", _("结婚纪念日")
    COMPANY = "company", _("厂庆/店庆")
    SCHOOL = "school", _("儿女升学")
    FAMILY_BIRTHDAY = "family_birthday", _("家人生日")
    CUSTOM = "custom", _("其他纪念日")


class CalendarKind(models.TextChoices):
    SOLAR = "solar", _("公历")
    LUNAR = "lunar", _("农历")


class SpecialDate(models.Model):
    """A date worth remembering, solar or lunar; the year may be unknown."""

    guest = models.ForeignKey(
        Guest, on_delete=models.CASCADE, related_name="special_dates"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=SpecialDateKind.choices)
    label = models.CharField(_("说明"), max_length=100, blank=True)
    calendar = models.CharField(
        _("历法"), max_length=5, choices=CalendarKind.choices, default="solar"
    )
    year = models.PositiveSmallIntegerField(_("年"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("月"))
    day = models.PositiveSmallIntegerField(_("日"))
    is_leap_month = models.BooleanField(_("闰月"), default=False)

    class Meta:
        verbose_name = _("纪念日")
        verbose_name_plural = _("纪念日")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    month__gte=1, month__lte=12, day__gte=1, day__lte=31
                ),
                name="special_date_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(is_leap_month=False) | models.Q(calendar="lunar"),
                name="leap_month_only_lunar",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.display()}"

    def display(self) -> str:
        """The date as written, in the language of the page."""
        if self.calendar == CalendarKind.LUNAR:
            if (get_language() or "zh-hans").startswith("zh"):
                from dossier.zh.lunar import lunar_date_label

                year = f"{self.year}年" if self.year else ""
                label = lunar_date_label(self.month, self.day, self.is_leap_month)
                return f"农历 {year}{label}"
            month = (gettext("闰%(month)s") if self.is_leap_month else "%(month)s") % {
                "month": self.month
            }
            if self.year:
                return gettext("农历 %(year)s年 %(month)s月 %(day)s日") % {
                    "year": self.year,
                    "month": month,
                    "day": self.day,
                }
            return gettext("农历 %(month)s月 %(day)s日") % {
                "month": month,
                "day": self.day,
            }
        if self.year:
            return full_date(date(self.year, self.month, self.day))
        # A leap year, so that 29 February has a day to stand on.
        return month_day(date(2000, self.month, self.day))


class ObservationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("未采纳")


class ObservationKind(models.TextChoices):
    PREFERENCE = "preference", _("偏好")
    COMPLAINT = "complaint", _("投诉")
    PRAISE = "praise", _("表扬")
    NOTE = "note", _("其他")


class Observation(models.Model):
    """What a member of staff noticed (客史信息), waiting to be confirmed."""

    guest = models.ForeignKey(
        Guest, on_delete=models.CASCADE, related_name="observations"
    )
    kind = models.CharField(
        _("类型"), max_length=12, choices=ObservationKind.choices, default="preference"
    )
    department = models.CharField(_("部门"), max_length=16, choices=Department.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    touchpoint = models.CharField(_("场合"), max_length=60, blank=True)
    observed_at = models.DateTimeField(_("时间"), default=timezone.now)
    text = models.TextField(_("内容"))
    item = models.ForeignKey(
        PreferenceItem, on_delete=models.PROTECT, null=True, blank=True
    )
    proposed_value = models.CharField(_("建议值"), max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=ObservationStatus.choices, default="pending"
    )
    resolved = models.BooleanField(_("已处理"), default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("客史信息")
        verbose_name_plural = _("客史信息")
        ordering = ["-observed_at"]

    def __str__(self) -> str:
        return self.text[:40]


class ProfileChange(models.Model):
    """One field of a profile changed: who, when, before, after."""

    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=16)
    field = models.CharField(max_length=60)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)

    class Meta:
        verbose_name = _("档案变更")
        verbose_name_plural = _("档案变更")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["guest", "-at"])]

    def __str__(self) -> str:
        return f"{self.field}: {self.before} → {self.after}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("profile changes are append-only")
        super().save(*args, **kwargs)

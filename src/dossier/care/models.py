"""Tasks of care: call this guest, send a birthday card, ask for feedback."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossier.care.titles import task_title, title_known
from dossier.core.models import Department, Property
from dossier.guests.models import Guest


class TaskStatus(models.TextChoices):
    OPEN = "open", _("待办")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class Task(models.Model):
    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("事项"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.CharField(_("部门"), max_length=16, blank=True)
    due = models.DateField(_("截止日期"))
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default="open")
    outcome = models.TextField(_("结果"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(_("类型"), max_length=16, blank=True)
    rule = models.ForeignKey(
        "ReminderRule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    occurs_on = models.DateField(_("纪念日/事件日期"), null=True, blank=True)
    detail = models.TextField(_("说明"), blank=True)
    # What the title of a reminder's task is made of, so that it is worded in the
    # reader's language (``title_shown``); empty for a title staff typed.
    title_args = models.JSONField(default=dict, blank=True)
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["guest", "status", "due"]),
            models.Index(fields=["owner", "status", "due"]),
            models.Index(fields=["department", "status", "due"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title_shown(self) -> str:
        """The title in the active language; a typed title as typed."""
        if not title_known(self.kind, self.title_args):
            return self.title
        return task_title(self.kind, self.title_args, self.occurs_on)


class ConsentChannel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")
    PHONE = "phone", _("电话")
    WECHAT = "wechat", _("微信")


class ConsentPurpose(models.TextChoices):
    SERVICE = "service", _("服务通知")
    MARKETING = "marketing", _("营销推广")


class Consent(models.Model):
    """One consent or opt-out of a guest for a channel and purpose; never edited.

    The guest's state for a channel and purpose is the latest record (by ``at``, then
    id); no record means nobody asked.
    """

    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(_("渠道"), max_length=8, choices=ConsentChannel.choices)
    purpose = models.CharField(_("用途"), max_length=10, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("同意"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    source = models.CharField(_("来源"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("授权记录")
        verbose_name_plural = _("授权记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["guest", "channel", "purpose", "-at"])]

    def __str__(self) -> str:
        state = "同意" if self.granted else "退订"
        return f"{self.get_channel_display()}/{self.get_purpose_display()}: {state}"


class ReminderKind(models.TextChoices):
    SPECIAL_DATE = "special_date", _("生日与纪念日")
    FEEDBACK = "feedback", _("离店回访")
    HOLIDAY = "holiday", _("节日贺卡")
    REVISIT = "revisit", _("新晋 A 类客人月度回访")


class ReminderChannel(models.TextChoices):
    TASK = "task", _("仅任务")
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class ReminderRule(models.Model):
    """What a property does, and how early, for a birthday, a departure or a holiday.

    ``days`` reads by kind: days before the date (special dates, holidays), days after
    check-out (feedback), days allowed for the visit (revisits).
    """

    property = models.ForeignKey(
        Property, on_delete=models.CASCADE, related_name="reminder_rules"
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=ReminderKind.choices)
    date_kinds = models.CharField(
        _("纪念日类型"),
        max_length=200,
        blank=True,
        help_text=_("逗号分隔，如 birthday,wedding；留空表示全部"),
    )
    days = models.PositiveSmallIntegerField(_("天数"), default=0)
    classes = models.CharField(_("适用分级"), max_length=3, default="ABC")
    channel = models.CharField(
        _("渠道"), max_length=8, choices=ReminderChannel.choices, default="task"
    )
    template = models.TextField(_("消息模板"), blank=True)
    subject = models.CharField(_("邮件主题"), max_length=200, blank=True)
    gift_text = models.CharField(_("礼品领取说明"), max_length=200, blank=True)
    owner_department = models.CharField(
        _("负责部门"), max_length=16, choices=Department.choices, blank=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("负责人"),
    )
    active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("提醒规则")
        verbose_name_plural = _("提醒规则")
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["property", "name"], name="reminder_rule_name_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ReminderOccurrence(models.Model):
    """One reminder of one rule for one guest and date: the row that makes it once.

    Two runs (09:00 and 09:01, or two workers) both try to insert it; the unique
    constraint lets one win, and only the winner creates the task.
    """

    rule = models.ForeignKey(
        ReminderRule, on_delete=models.CASCADE, related_name="occurrences"
    )
    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="+")
    occurs_on = models.DateField(_("日期"))
    task = models.ForeignKey(
        "Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    greeted_at = models.DateTimeField(_("问候时间"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "guest", "occurs_on"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}/{self.guest_id}/{self.occurs_on}"


class RunStatus(models.TextChoices):
    RUNNING = "running", _("运行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    MISSED = "missed", _("错过")
    SKIPPED = "skipped", _("跳过")


class DailyRun(models.Model):
    """One start of the daily job for a property, with its report."""

    property = models.ForeignKey(
        Property, on_delete=models.CASCADE, related_name="daily_runs"
    )
    today = models.DateField(_("当日"))
    trigger = models.CharField(_("触发方式"), max_length=20)
    # A run of chosen jobs only says nothing about the days the others missed.
    all_jobs = models.BooleanField(_("全部作业"), default=True)
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created = models.PositiveIntegerField(_("新建任务"), default=0)
    sent = models.PositiveIntegerField(_("发送消息"), default=0)
    skipped = models.PositiveIntegerField(_("跳过"), default=0)
    missed = models.PositiveIntegerField(_("错过天数"), default=0)
    failed = models.PositiveIntegerField(_("失败"), default=0)

    class Meta:
        verbose_name = _("每日运行")
        verbose_name_plural = _("每日运行")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.property} {self.today}"


class JobRun(models.Model):
    """One job for one day at one property: done once, whoever starts it."""

    property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="+")
    job = models.CharField(_("作业"), max_length=50)
    day = models.DateField(_("业务日期"))
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices)
    daily_run = models.ForeignKey(
        DailyRun, on_delete=models.SET_NULL, null=True, related_name="job_runs"
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(_("跳过"), default=list)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("作业运行")
        verbose_name_plural = _("作业运行")
        ordering = ["day", "job"]
        constraints = [
            models.UniqueConstraint(
                fields=["property", "job", "day"], name="job_once_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.day}: {self.status}"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SCHEDULED = "scheduled", _("已排期")
    SENT = "sent", _("已发送")
    CANCELLED = "cancelled", _("已取消")


class Campaign(models.Model):
    """A bulk message to a segment of guests, with marketing consent only."""

    property = models.ForeignKey(
        Property, on_delete=models.CASCADE, related_name="campaigns"
    )
    name = models.CharField(_("名称"), max_length=100)
    channel = models.CharField(
        _("渠道"),
        max_length=8,
        choices=[("sms", _("短信")), ("email", _("电子邮件"))],
        default="sms",
    )
    subject = models.CharField(_("邮件主题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    classes = models.CharField(_("分级"), max_length=3, blank=True)
    tags = models.CharField(_("标签"), max_length=200, blank=True)
    preference = models.CharField(_("偏好"), max_length=100, blank=True)
    visited_after = models.DateField(_("最近到访不早于"), null=True, blank=True)
    visited_before = models.DateField(_("最近到访不晚于"), null=True, blank=True)
    send_on = models.DateField(_("发送日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=CampaignStatus.choices, default="draft"
    )
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("营销活动")
        verbose_name_plural = _("营销活动")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Recipient(models.Model):
    """A guest a campaign was for: the message sent, or why none was."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="recipients"
    )
    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(
        "messaging.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    skipped = models.CharField(_("未发送原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("活动对象")
        verbose_name_plural = _("活动对象")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "guest"], name="campaign_guest_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.guest_id}"

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def states_from_dates(apps, schema_editor):
    """Loans made before approvals existed were handed out at once."""
    Loan = apps.get_model("records", "Loan")
    Loan.objects.filter(returned_at__isnull=False).update(state="returned")
    for loan in Loan.objects.all().only("pk", "out_at", "signed_out_by"):
        Loan.objects.filter(pk=loan.pk).update(
            requested_at=loan.out_at,
            decided_at=loan.out_at,
            requested_by_id=loan.signed_out_by_id,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0004_register_proposed_by_yearly"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="loan", name="records_one_active_loan"),
        migrations.AddField(
            model_name="loan",
            name="state",
            field=models.CharField(
                choices=[
                    ("requested", "待批准"),
                    ("approved", "已批准，待出库"),
                    ("out", "借出中"),
                    ("refused", "未获批准"),
                    ("returned", "已归还"),
                ],
                default="out",
                max_length=16,
                verbose_name="状态",
            ),
        ),
        migrations.AddField(
            model_name="loan",
            name="requested_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="loan",
            name="requested_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="loan",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="loan",
            name="refusal_reason",
            field=models.CharField(
                blank=True, max_length=300, verbose_name="不批准的理由"
            ),
        ),
        migrations.AddField(
            model_name="loan",
            name="approval_recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="loan",
            name="signed_out_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="loan",
            name="out_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(states_from_dates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="loan",
            name="state",
            field=models.CharField(
                choices=[
                    ("requested", "待批准"),
                    ("approved", "已批准，待出库"),
                    ("out", "借出中"),
                    ("refused", "未获批准"),
                    ("returned", "已归还"),
                ],
                default="requested",
                max_length=16,
                verbose_name="状态",
            ),
        ),
        migrations.AddConstraint(
            model_name="loan",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state__in", ["requested", "approved", "out"])),
                fields=("case",),
                name="records_one_open_loan",
            ),
        ),
    ]

"""The administration site: properties, and users with their department and property.

A member of staff sees and does what their department's role allows (``core.roles``):
giving a user a department here gives them its role, and moving them to another
takes away the role of the one they left.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from dossier.core.models import Property, StaffProfile
from dossier.core.roles import department_role_set


@admin.register(Property)
class PropertyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "kind", "time_zone", "is_default")
    search_fields = ("code", "name")


class StaffProfileInline(admin.StackedInline):  # type: ignore[type-arg]
    model = StaffProfile
    can_delete = False
    fields = ("department", "property")
    min_num = 1
    max_num = 1


class StaffUserAdmin(UserAdmin):  # type: ignore[type-arg]
    inlines = (StaffProfileInline,)

    def save_related(
        self,
        request: HttpRequest,
        form: "ModelForm[Any]",
        formsets: "list[BaseInlineFormSet[Any, Any, Any]]",
        change: bool,
    ) -> None:
        user = form.instance
        previous = (
            StaffProfile.objects.filter(user=user)
            .values_list("department", flat=True)
            .first()
        )
        super().save_related(request, form, formsets, change)
        department = (
            StaffProfile.objects.filter(user=user)
            .values_list("department", flat=True)
            .first()
        )
        if department is not None:
            department_role_set(user, department, previous=previous or "")


admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)

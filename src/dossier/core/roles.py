"""The roles of a house, one Django group per department, with their permissions.

A waiter sees diet and taboos but not profit; only managers and administrators see
whole ID numbers. The groups are created (and kept in step) after every migration.
"""

from typing import Any

from django.contrib.auth.models import Group, Permission, User
from django.db.models import Q

VIEW_GUESTS = [
    "guests.view_guest",
    "guests.view_company",
    "history.view_stay",
    "history.view_bill",
    "guests.add_observation",
    "guests.view_observation",
]
EDIT_GUESTS = [
    "guests.add_guest",
    "guests.change_guest",
    "guests.add_company",
    "guests.change_company",
    "guests.change_guestpreference",
    "guests.add_guestpreference",
    "guests.add_specialdate",
    "guests.change_specialdate",
]
REVIEW = ["guests.review_observation"]
IMPORT = ["imports.add_importjob", "imports.view_importjob"]
PROFIT = ["history.view_spend", "history.view_spendline"]
FULL_ID = ["guests.view_full_id_number"]
EXPORT = ["guests.export_guests"]
MERGE = ["duplicates.merge_guest", "duplicates.view_duplicatecandidate"]
MESSAGES = ["messaging.add_message", "messaging.view_inboundmessage"]
BANQUETS = [
    "banquets.view_banquetmenu",
    "banquets.add_banquetmenu",
    "banquets.change_banquetmenu",
]
COLLECTION = ["collection.view_quota", "collection.change_quota"]
REGISTRATIONS = ["collection.confirm_registration"]
CLASSES = [
    "classes.pin_guestclass",
    "classes.recompute_classes",
    "classes.change_classpolicy",
    "history.add_costrate",
    "history.change_costrate",
]

VIEW_RECORDS = [
    "records.view_case",
    "records.view_archiveclass",
    "records.view_loan",
    "records.view_destructionregister",
]
KEEP_RECORDS = [
    "records.file_case",
    "records.lend_case",
    "records.place_hold",
    "records.propose_disposal",
]
APPROVE_RECORDS = [
    "records.approve_destruction",
    "records.approve_loan",
    "records.approve_original_keep",
    "records.place_hold",
    "records.restrict_class",
]
VIEW_PERSONNEL = ["personnel.view_personnelfile", "personnel.view_signout"]
KEEP_PERSONNEL = [
    "personnel.add_personnelfile",
    "personnel.change_personnelfile",
    "personnel.sign_out_personnelfile",
    "personnel.view_full_id_number",
]

ROLES: dict[str, list[str]] = {
    "前厅部": VIEW_GUESTS + EDIT_GUESTS + REGISTRATIONS,
    "客房部": VIEW_GUESTS,
    "餐饮部": VIEW_GUESTS + BANQUETS,
    "营销部": VIEW_GUESTS
    + EDIT_GUESTS
    + REVIEW
    + IMPORT
    + PROFIT
    + EXPORT
    + MERGE
    + MESSAGES
    + BANQUETS
    + REGISTRATIONS
    + CLASSES,
    "管理层": VIEW_GUESTS
    + EDIT_GUESTS
    + REVIEW
    + IMPORT
    + PROFIT
    + FULL_ID
    + EXPORT
    + MERGE
    + MESSAGES
    + CLASSES
    + VIEW_RECORDS
    + APPROVE_RECORDS
    + VIEW_PERSONNEL
    + BANQUETS
    + COLLECTION
    + REGISTRATIONS,
    "档案管理员": VIEW_GUESTS
    + VIEW_RECORDS
    + KEEP_RECORDS
    + VIEW_PERSONNEL
    + KEEP_PERSONNEL,
    "系统管理员": VIEW_GUESTS
    + EDIT_GUESTS
    + REVIEW
    + IMPORT
    + PROFIT
    + FULL_ID
    + EXPORT
    + MERGE
    + MESSAGES
    + CLASSES
    + VIEW_RECORDS
    + KEEP_RECORDS
    + APPROVE_RECORDS
    + VIEW_PERSONNEL
    + KEEP_PERSONNEL
    + BANQUETS
    + COLLECTION
    + REGISTRATIONS,
}

DEPARTMENT_ROLE = {
    "front_office": "前厅部",
    "housekeeping": "客房部",
    "fnb": "餐饮部",
    "marketing": "营销部",
    "management": "管理层",
    "archive": "档案管理员",
    "admin": "系统管理员",
}


def roles_sync(**kwargs: Any) -> None:
    """Create the role groups and give each exactly its permissions."""
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        query = Q()
        for code in codes:
            app_label, codename = code.split(".")
            query |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(query))


def department_role_set(user: User, department: str, *, previous: str = "") -> None:
    """Give ``user`` the role of ``department``, and take away that of the
    department they left (``previous``); other groups stay as they are."""
    if previous and previous != department and previous in DEPARTMENT_ROLE:
        user.groups.remove(*Group.objects.filter(name=DEPARTMENT_ROLE[previous]))
    if department in DEPARTMENT_ROLE:
        group, _ = Group.objects.get_or_create(name=DEPARTMENT_ROLE[department])
        user.groups.add(group)

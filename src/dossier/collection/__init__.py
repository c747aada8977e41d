"""The collection regime: contact and observation quotas, department checklists, self-registration and VIP enrolment forms."""

"""The REST API under /api/v1/ (django-ninja), for the UI and for integrations."""

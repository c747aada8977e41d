"""Dossier: the guest-history and document archive of hotels and restaurants."""

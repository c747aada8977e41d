"""The web shell keeps no data of its own.

This module exists so that Django sends ``post_migrate`` for this app, which comes after
every app whose permissions the roles and catalogue refer to.
"""

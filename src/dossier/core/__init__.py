"""The ground every app stands on: properties, staff, roles, audit, crypto, money."""

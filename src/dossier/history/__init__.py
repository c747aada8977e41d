"""Consumption history: stays, dining bills with their dishes, spend by outlet."""

"""Banquet menus of a guest or company, the evaluation of each dish and proposals for the next menu."""

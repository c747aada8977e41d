"""Importing guest tables, stays and bills from csv and xlsx: preview, then commit."""

"""Chinese-locale knowledge for Dossier: identity numbers, phones, names, honorifics.

Every module here is a pure function library with no Django imports, so it can be used
from models, imports, search indexing and benchmarks alike.
"""

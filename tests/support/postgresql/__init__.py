"""Django's PostgreSQL backend for the tests, emptying the database faster (base.py)."""

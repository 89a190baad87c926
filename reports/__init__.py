"""Anonymised reports for administrators.

A wall, not a convention: modules here build figures from counts and outcomes only. They
never import the observations app, and never read a text field of cycles or goals; a test
(tests/reports/test_import_contract.py) fails the build if they do, and on PostgreSQL the
queries run as a database role that cannot read those columns at all.
"""

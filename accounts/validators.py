"""Validators of model fields, kept here under the names migrations refer to."""

from .text import validate_one_line

__all__ = ["validate_one_line"]

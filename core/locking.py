"""Row locks for state changes that two requests may make at the same moment."""

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.http import Http404

M = TypeVar("M", bound=Model)


def lock(instance: M, *fields: str) -> M:
    """Wait for whoever else is changing this row, then reload `fields` from what they
    committed, and hold the row until the surrounding transaction ends.

    The check a service makes next (is it already shared? already held?) then sees the
    latest state, so a double submit is refused with the same message as a late one instead
    of doing the thing twice or failing on a constraint. Call inside transaction.atomic.
    """
    # _meta rather than type(): request.user arrives wrapped in a lazy object.
    model = instance._meta.model
    rows = model._default_manager.select_for_update().filter(pk=instance.pk)
    latest = rows.values(*fields).order_by().first()
    if latest is None:
        # Someone else deleted it while this request waited: the answer a late click on
        # a page of something gone gets, rather than a 500.
        raise Http404(f"No {model._meta.verbose_name} matches the given query.")
    for name, value in latest.items():
        setattr(instance, name, value)
    return instance


def reread(instance: M) -> M:
    """Read the row again: a model form's validation writes what was typed onto its
    instance, and the service must compare with what is stored. Deleted meanwhile (another
    tab, another person): 404, as a late click on it would get."""
    try:
        instance.refresh_from_db()
    except ObjectDoesNotExist:
        raise Http404(f"No {instance._meta.verbose_name} matches the given query.") from None
    return instance

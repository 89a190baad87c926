"""Row locks for state changes that two requests may make at the same moment."""


def lock(instance, *fields):
    """Wait for whoever else is changing this row, then reload `fields` from what they
    committed, and hold the row until the surrounding transaction ends.

    The check a service makes next (is it already shared? already held?) then sees the
    latest state, so a double submit is refused with the same message as a late one instead
    of doing the thing twice or failing on a constraint. Call inside transaction.atomic.
    """
    # _meta rather than type(): request.user arrives wrapped in a lazy object.
    values = instance._meta.model._default_manager.select_for_update().filter(pk=instance.pk)
    for name, value in values.values(*fields).order_by().get().items():
        setattr(instance, name, value)
    return instance

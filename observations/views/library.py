"""The look-for library: everyone in the district reads it; administrators keep it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import selectors
from ..forms import LookForRows, LookForTemplateForm, TemplateImportForm
from ..library import (
    look_for_template_import,
    look_for_template_save,
    template_as_json,
    template_rows,
)
from ..models import LookForTemplate
from ..rules import library_permissions, library_scope


def look_for_library(request):
    if not request.user.is_authenticated or request.membership is None:
        raise Http404
    templates = selectors.templates_readable_by(request.user).prefetch_related("look_fors")
    managed = set(selectors.templates_managed_by(request.membership).values_list("pk", flat=True))
    page = Paginator(templates, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "observations/look_for_library.html",
        {
            "page": page,
            "managed": managed,
            "can": library_permissions(request.membership),
        },
    )


def _template_for(request, template):
    return get_object_or_404(
        selectors.templates_readable_by(request.user).prefetch_related("look_fors"), pk=template
    )


def look_for_template(request, template):
    template = _template_for(request, template)
    return render(
        request,
        "observations/look_for_template.html",
        {"template": template, "can": library_permissions(request.membership, template)},
    )


def look_for_template_export(request, template):
    template = _template_for(request, template)
    response = JsonResponse(template_as_json(template), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="look-fors-{template.pk}.json"'
    return response


@require_http_methods(["GET", "POST"])
def look_for_template_edit(request, template=None):
    scope = library_scope(request.membership)
    if scope is None:
        raise Http404
    if template is None:
        instance = LookForTemplate(district=scope[0], school=scope[1])
        rows = []
    else:
        instance = get_object_or_404(
            selectors.templates_managed_by(request.membership).prefetch_related("look_fors"),
            pk=template,
        )
        rows = template_rows(instance)
    form = LookForTemplateForm(
        request.POST or None,
        initial={"name": instance.name, "description": instance.description},
        translations=instance.translations,
    )
    formset = LookForRows(request.POST or None, initial=rows, prefix="look_fors")
    errors = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        kept = [
            row
            for row in formset.cleaned_data
            if row and not row.get("DELETE") and row.get("description")
        ]
        try:
            instance = look_for_template_save(
                actor=request.user, template=instance, rows=kept, **form.words()
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("“%(name)s” saved (version %(version)s).")
                % {"name": instance.name, "version": instance.version},
            )
            return redirect("observations:look_for_template", instance.pk)
    return render(
        request,
        "observations/look_for_template_form.html",
        {"template": instance, "form": form, "formset": formset, "errors": errors},
    )


@require_http_methods(["GET", "POST"])
def look_for_template_import_view(request):
    scope = library_scope(request.membership)
    if scope is None:
        raise Http404
    form = TemplateImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            template = look_for_template_import(
                actor=request.user,
                district=scope[0],
                school=scope[1],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request, _("“%(name)s” added to the library.") % {"name": template.name}
            )
            return redirect("observations:look_for_template", template.pk)
    return render(request, "observations/look_for_import.html", {"form": form, "errors": errors})

"""Correcting what was captured: a note or tally edited or deleted from its own page (linked
beside it on the capture page and the feedback form), and the capture page's "Undo" of the
last note, sent through its offline queue like the note itself."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.views import ServiceFormView, require_perm, run_action

from .. import rules, selectors, services
from ..forms import NoteEditForm, NoteUndoForm, TallyEditForm
from ..models import Observation
from .capture import capture_endpoint


def _back(request, observation: Observation) -> str:
    """Back to the page the correction was asked from: the feedback form or the capture page."""
    page = (
        "observations:feedback" if request.GET.get("from") == "feedback" else "observations:capture"
    )
    return reverse(page, args=[observation.pk])


def _editable(request, observation_pk):
    observation = selectors.get_observation(request.user, observation_pk)
    require_perm(request, "observations.capture", observation)
    return observation


class NoteEditView(ServiceFormView):
    template_name = "observations/note_edit.html"
    form_class = NoteEditForm

    def setup_objects(self, request, observation, note):
        self.observation = _editable(request, observation)
        self.note = get_object_or_404(self.observation.notes, client_id=note)
        self.look_fors = list(self.observation.look_fors.all())

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "look_fors": self.look_fors}

    def get_initial(self):
        look_for = self.note.look_for_id
        return {"text": self.note.text, "look_for": str(look_for) if look_for else ""}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            observation=self.observation,
            note=self.note,
            back=_back(self.request, self.observation),
            edit_refusal=rules.observation_change_refusal(self.observation),
            delete_refusal=rules.evidence_delete_refusal(self.observation),
            **kwargs,
        )

    def perform(self, data):
        return services.note_edit(
            actor=self.request.user,
            note=self.note,
            text=data["text"],
            look_for=data.get("look_for"),
        )

    def success_url_for(self, note):
        return _back(self.request, self.observation)

    success_message = gettext_lazy("Note corrected.")


@require_http_methods(["GET", "POST"])
def note_delete(request, observation, note):
    """A note of a draft taken back: asked once, then gone."""
    observation = _editable(request, observation)
    note = get_object_or_404(observation.notes, client_id=note)
    back = _back(request, observation)
    if request.method == "GET":
        context = {
            "observation": observation,
            "note": note,
            "back": back,
            "refusal": rules.evidence_delete_refusal(observation),
        }
        return render(request, "observations/note_delete.html", context)
    return run_action(
        request,
        lambda: services.note_delete(
            actor=request.user, observation=observation, client_id=note.client_id
        ),
        success_message=_("Note deleted."),
        redirect_to=back,
    )


@capture_endpoint(NoteUndoForm)
def note_undo(request, observation, data):
    deleted = services.note_delete(
        actor=request.user, observation=observation, client_id=data["client_id"]
    )
    return {"client_id": str(data["client_id"]), "deleted": deleted}


class TallyEditView(ServiceFormView):
    template_name = "observations/tally_edit.html"
    form_class = TallyEditForm

    def setup_objects(self, request, observation, tally):
        self.observation = _editable(request, observation)
        self.tally = get_object_or_404(self.observation.tallies, client_id=tally)

    def get_initial(self):
        return {"label": self.tally.label, "count": self.tally.count}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.tally.look_for_id:
            # A counted look-for keeps the look-for's words: only its count is corrected.
            form.fields["label"].disabled = True
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            observation=self.observation,
            tally=self.tally,
            back=_back(self.request, self.observation),
            edit_refusal=rules.observation_change_refusal(self.observation),
            delete_refusal=rules.evidence_delete_refusal(self.observation),
            **kwargs,
        )

    def perform(self, data):
        return services.tally_edit(
            actor=self.request.user, tally=self.tally, label=data["label"], count=data["count"]
        )

    def success_url_for(self, tally):
        return _back(self.request, self.observation)

    success_message = gettext_lazy("Tally corrected.")


@require_http_methods(["POST"])
def tally_delete(request, observation, tally):
    observation = _editable(request, observation)
    tally = get_object_or_404(observation.tallies, client_id=tally)
    if tally.look_for_id:
        raise Http404  # a look-for's counter is offered no delete button
    return run_action(
        request,
        lambda: services.tally_delete(actor=request.user, tally=tally),
        success_message=_("Tally “%(name)s” deleted.") % {"name": tally.label},
        redirect_to=_back(request, observation),
    )

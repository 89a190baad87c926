"""A coach's comment bank: their own phrases for strengths, wonderings and next steps, kept
on a page of their own and inserted into feedback with a tap. Nobody else's: another
person's phrase, or anyone's who is not acting as a coach, is 404."""

import copy
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.views import ServiceFormView, require_role, run_action

from .. import selectors, services
from ..forms import CommentBankPhraseForm
from ..models import CommentBankPhrase


class CommentBankView(ServiceFormView):
    """The coach's phrases, with the form to add one."""

    template_name = "observations/comment_bank.html"
    form_class = CommentBankPhraseForm
    success_message = gettext_lazy("Kept in your comment bank.")

    def setup_objects(self, request, **kwargs):
        require_role(request, "coach")

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind} if kind in CommentBankPhrase.Kind.values else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            groups=selectors.comment_bank_grouped(self.request.user),
            back=self._back(),
            **kwargs,
        )

    def _back(self):
        # From the feedback form, the way back to it; a path of this site only.
        target = self.request.GET.get("next") or self.request.POST.get("next") or ""
        return target if target.startswith("/observations/") else ""

    def perform(self, data):
        return services.comment_bank_add(actor=self.request.user, **data)

    def success_url_for(self, phrase):
        back = self._back()
        url = reverse("observations:comment_bank")
        return f"{url}?{urlencode({'next': back})}" if back else url


class CommentBankEditView(ServiceFormView):
    template_name = "observations/comment_bank_edit.html"
    form_class = CommentBankPhraseForm
    success_message = gettext_lazy("Phrase saved.")

    def setup_objects(self, request, phrase):
        require_role(request, "coach")
        self.phrase = selectors.get_phrase(request.user, phrase)

    def get_form_kwargs(self):
        # A copy: a refused form must not change the phrase the page shows.
        return {**super().get_form_kwargs(), "instance": copy.copy(self.phrase)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(phrase=self.phrase, **kwargs)

    def perform(self, data):
        return services.comment_bank_edit(actor=self.request.user, phrase=self.phrase, **data)

    def success_url_for(self, phrase):
        return reverse("observations:comment_bank")


@require_POST
def comment_bank_delete(request, phrase):
    require_role(request, "coach")
    phrase = selectors.get_phrase(request.user, phrase)
    return run_action(
        request,
        lambda: services.comment_bank_delete(actor=request.user, phrase=phrase),
        success_message=_("Deleted from your comment bank."),
        redirect_to=reverse("observations:comment_bank"),
    )

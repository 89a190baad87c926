"""Reflection prompts offered to teachers and coaches, one per phase of the Impact Cycle."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# Read in the reader's language; a reflection keeps the prompt as its writer read it.
PROMPTS_BY_PHASE = {
    "identify": _("What do you most want your students to be able to do by the end of this cycle?"),
    "learn": _("What about the strategy feels clear, and what would you like to see modelled?"),
    "improve": _("What are students doing differently since you started, and how do you know?"),
    "closed": _("What did this cycle teach you that you want to carry into the next one?"),
}


def prompt_as_kept(prompt: str) -> str:
    """A prompt is kept in English, whichever language its writer read it in, so that
    every later reader sees it in theirs; a prompt Tandem did not offer is kept as sent."""
    said = " ".join(prompt.split())
    for offered in PROMPTS_BY_PHASE.values():
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                if str(offered) == said:
                    with translation.override("en"):
                        return str(offered)
    return prompt.strip()

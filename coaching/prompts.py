"""Cognitive Coaching conversation maps (Costa and Garmston), offered in meetings."""

from django.utils.translation import gettext_lazy as _

PLANNING = [
    # Translators: the headings and questions of the Cognitive Coaching conversation maps
    # (Costa and Garmston): questions a coach asks a teacher, in the coach's own voice (tú).
    (_("Goals"), _("What are you hoping students will learn or do?")),
    (_("Success indicators"), _("What will you see or hear from students when it is working?")),
    (_("Approaches"), _("Which strategies are you considering, and what will you try first?")),
    (_("Personal learning"), _("What do you want to learn about your own practice this time?")),
]
REFLECTING = [
    (_("Impressions"), _("How do you feel the lesson went? What are you basing that on?")),
    (_("Causes"), _("What did you do, or not do, that produced those results?")),
    (_("New learning"), _("What are you learning about your students and your teaching?")),
    (_("Commitments"), _("What will you do next, and how will you know it worked?")),
]
PROBLEM_RESOLVING = [
    # Translators: the map's first move: the coach paraphrases and paces the teacher's concern.
    (_("Pacing"), _("It sounds like this matters to you. What is happening at the moment?")),
    (_("Desired state"), _("What would you like to see happening instead?")),
    (_("Resources"), _("When has something like this gone well? What did you draw on then?")),
    (_("Next move"), _("What is one thing you could try first, and what would you notice?")),
]
# A meeting that is neither planning, reflecting nor a debrief of notes is most often one
# where the teacher is stuck: what the problem-resolving map is for. A debrief goes through
# the lesson's evidence and takes no map.
PROMPTS_BY_KIND = {"planning": PLANNING, "reflecting": REFLECTING, "other": PROBLEM_RESOLVING}
CONVERSATION_BY_KIND = {
    "planning": _("Planning conversation"),
    "reflecting": _("Reflecting conversation"),
    "other": _("Problem-resolving conversation"),
}

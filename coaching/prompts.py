"""Cognitive Coaching conversation maps (Costa and Garmston), offered in meetings."""

PLANNING = [
    ("Goals", "What are you hoping students will learn or do?"),
    ("Success indicators", "What will you see or hear from students when it is working?"),
    ("Approaches", "Which strategies are you considering, and what will you try first?"),
    ("Personal learning", "What do you want to learn about your own practice this time?"),
]
REFLECTING = [
    ("Impressions", "How do you feel the lesson went? What are you basing that on?"),
    ("Causes", "What did you do, or not do, that produced those results?"),
    ("New learning", "What are you learning about your students and your teaching?"),
    ("Commitments", "What will you do next, and how will you know it worked?"),
]
PROBLEM_RESOLVING = [
    ("Pacing", "It sounds like this matters to you. What is happening at the moment?"),
    ("Desired state", "What would you like to see happening instead?"),
    ("Resources", "When has something like this gone well? What did you draw on then?"),
    ("Next move", "What is one thing you could try first, and what would you notice?"),
]
# A meeting that is neither planning, reflecting nor a debrief of notes is most often one
# where the teacher is stuck: what the problem-resolving map is for. A debrief goes through
# the lesson's evidence and takes no map.
PROMPTS_BY_KIND = {"planning": PLANNING, "reflecting": REFLECTING, "other": PROBLEM_RESOLVING}
CONVERSATION_BY_KIND = {
    "planning": "Planning conversation",
    "reflecting": "Reflecting conversation",
    "other": "Problem-resolving conversation",
}

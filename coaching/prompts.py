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
PROMPTS_BY_KIND = {"planning": PLANNING, "reflecting": REFLECTING}

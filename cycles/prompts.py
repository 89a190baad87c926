"""Reflection prompts offered to teachers and coaches, one per phase of the Impact Cycle."""

PROMPTS_BY_PHASE = {
    "identify": "What do you most want your students to be able to do by the end of this cycle?",
    "learn": "What about the strategy feels clear, and what would you like to see modelled?",
    "improve": "What are students doing differently since you started, and how do you know?",
    "closed": "What did this cycle teach you that you want to carry into the next one?",
}

"""The words of the generated district: names, places, and what coaches and teachers write.

Records repeat these, drawn at random: pages at scale show text of realistic length, and
the generator spends its time on rows, not on prose.
"""

FIRST_NAMES = [
    "Amara", "Ben", "Chloe", "Diego", "Elif", "Farah", "George", "Hana", "Isaac", "Jade",
    "Kofi", "Lucía", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sofia", "Tariq",
    "Uma", "Victor", "Wen", "Yara", "Aiko", "Bruno", "Carmen", "Dmitri", "Esther", "Felix",
    "Grace", "Hamid", "Ines", "Jonas", "Kemi", "Liam", "Mina", "Noah", "Olga", "Pablo",
    "Rahul", "Sara", "Tomás", "Ngozi", "Leila", "Mei", "Jamal", "Anya", "Emeka", "Ingrid",
]  # fmt: skip
LAST_NAMES = [
    "Bello", "Carter", "Dubois", "Fernández", "Yılmaz", "Haddad", "Mensah", "Suzuki", "Levi",
    "Nguyen", "Asante", "Romero", "Rossi", "Petrova", "Khalil", "Raman", "O'Neill", "Alvarez",
    "Lindgren", "Aziz", "Patel", "Lima", "Zhao", "Costa", "Tanaka", "Silva", "Ortiz", "Volkov",
    "Cohen", "Wagner", "Liu", "Karimi", "Moreau", "Berg", "Adebayo", "Walsh", "Sato", "Fischer",
    "Ivanova", "Ruiz", "Okafor", "Reyes", "Whitfield", "Lindqvist", "Ito", "Novak", "Adeyemi",
    "Kowalski", "Nakamura", "Obi", "Jensen", "Morales", "Chen", "Brown", "Murphy", "Singh",
]  # fmt: skip

PLACES = [
    "Maple", "Cedar", "Oak", "Willow", "Birch", "Aspen", "Juniper", "Hawthorn", "Linden",
    "Sycamore", "Chestnut", "Alder", "Magnolia", "Laurel", "Spruce", "Hazel", "Elm", "Rowan",
    "Poplar", "Cypress",
]  # fmt: skip
PLACE_KINDS = ["Grove", "Ridge", "Park", "Hill", "Valley", "Creek", "Meadow", "Heights",
               "Crossing", "Springs", "Harbor", "Point"]  # fmt: skip
SCHOOL_KINDS = ["Elementary", "Middle School", "High School", "K-8 Academy"]

CYCLE_TITLES = {
    "Formative assessment": [
        "Exit tickets that shape tomorrow", "Checking for understanding", "Hinge questions",
        "Whole-class responses", "Response cards in maths", "Feedback students act on",
    ],
    "Instruction": [
        "More students explaining their thinking", "Partner talk routines",
        "Think-pair-share in every lesson", "Students citing evidence",
        "Thinking prompts to open lessons", "Questions that make students think",
    ],
    "Content planning": [
        "Guiding questions for the unit", "Learning maps in science",
        "Unit questions students can answer", "Planning backwards from the assessment",
    ],
    "Community building": [
        "Calm, purposeful starts", "Norms the class wrote", "Praise that names the strategy",
        "A safe room for mistakes", "Transitions without lost minutes",
    ],
}  # fmt: skip

SUBJECTS = [
    "Maths: comparing fractions", "Maths: area and perimeter", "Reading: main idea",
    "Writing: opinion paragraphs", "Science: states of matter", "History: primary sources",
    "Maths: linear equations", "English: character motives", "Science: food webs",
    "Spanish: past tense", "Geography: map skills", "Biology: cell structure",
]  # fmt: skip

NOTES = [
    "T opens with a question on the board: 'Which is bigger, 3/4 or 2/3? How do you know?'",
    "12 of 24 students write an answer within the first minute.",
    "T: 'Turn to your partner and convince them.' Pairs talk; noise rises, on task.",
    "Student at table 3 draws two bars to compare.",
    "T cold-calls three students; two explain with a drawing.",
    "T asks 'Who changed their mind?' Four hands.",
    "Exit ticket handed out with eight minutes to go; most finish in four.",
    "T reads the learning target aloud; students copy it into their books.",
    "Two students at the back have not started the task after five minutes.",
    "T circulates; stops at tables 1, 4 and 6; asks 'What did you try first?'",
    "Student: 'I think it's 12 because you add the sides.' T: 'Say more.'",
    "T waits about 4 seconds after the question; six hands go up.",
    "Group 2 divides roles: reader, recorder, checker. Group 5 does not.",
    "T models the first step on the board, thinking aloud.",
    "Three students ask to go to the bathroom within ten minutes.",
    "T: 'Show me on your whiteboards.' 20 of 26 boards correct.",
    "Student explains her method to the class; T writes it beside the first one.",
    "Transition from carpet to tables takes 3 minutes 40 seconds.",
    "T praises a table for 'checking each other's work before asking me'.",
    "Half the class uses the sentence starter on the wall.",
    "T asks a student to restate a peer's idea; student does, accurately.",
    "Noise rises during independent work; T rings the chime, room quiet in 10 s.",
    "Student at table 2 asks 'Why do we flip the second fraction?' T returns it to the group.",
    "T summarises: 'So today we found two ways.' Lists them on the board.",
]  # fmt: skip

TALLY_LABELS = [
    "Open questions", "Students explaining reasoning", "Wait time ≥ 3 s", "Cold calls",
    "Praise of effort", "Corrections", "Student-to-student talk", "Hands up",
]  # fmt: skip

STRENGTHS = [
    "Partner talk got every student saying their reasoning aloud.",
    "The exit ticket matched the learning target exactly, so the sort will be quick.",
    "Wait time after questions was long enough for most students to think.",
    "Students used the sentence starters without being reminded.",
    "The opening question had every student writing within a minute.",
]
WONDERINGS = [
    "I wonder what would happen if students drew before they talked.",
    "I wonder whether the two students at the back knew how to start.",
    "I wonder if cold-calling after partner talk would bring in quieter voices.",
    "I wonder how the exit tickets from table 4 compare with the others.",
]
NEXT_STEPS = [
    "Try a 30-second silent draw before partner talk.",
    "Check in with the back table in the first five minutes.",
    "Sort the exit tickets together on Thursday.",
    "Name the strategy when you praise, three times a lesson.",
]
RESPONSES = [
    "Thank you. I had not noticed how many hands went up after partner talk.",
    "Good point about the back table; I'll seat them nearer the board.",
    "I'll try the silent draw on Monday and tell you how it went.",
    "That matches what I saw in the exit tickets.",
    "",
]
REFLECTIONS = [
    "More hands go up after partner talk; quieter students rehearse with a partner first.",
    "I rush the wait time when I am behind. I want to protect it.",
    "The exit tickets told me more than the quiz did.",
    "Students are starting faster; the routine is becoming theirs.",
    "I am not sure the strategy suits my period 5 class yet.",
]
COACH_NOTES = [
    "Keen to work on student talk. Prefers meeting before school.",
    "Busy term with report writing; keep meetings short.",
    "Asked for a model lesson before trying it alone.",
    "Worth connecting with the grade-level team on this.",
]
MEETING_AGENDA = [
    "Look at last week's student work together. Choose what to aim for.",
    "What did students do differently? Bring this week's evidence.",
    "Look at this week's evidence together.",
]
MEETING_NOTES = [
    "Agreed to try a short routine and to gather evidence for two weeks.",
    "The routine is settling; students need more time to think before talking.",
    "Evidence is moving; we will keep the strategy and look again in a week.",
]
SUMMARIES = [
    "Students' evidence moved steadily; the routine is now part of every lesson.",
    "Some progress; the strategy needs more practice before it holds.",
    "We stopped to make room for testing season; to pick up next term.",
]

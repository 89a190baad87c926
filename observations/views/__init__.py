"""The observation pages, by feature: `capture` (starting a lesson, the classroom page and
what it sends), `seats` (seat maps and taps), `look_fors` (choosing and adding them),
`feedback` (writing, sharing and answering it), `teacher` (the teacher's own pages) and
`library` (the district's look-for templates)."""

"""OneRoster 1.2 CSV packages: the district's staff, schools and terms, from its student
information system.

- `reading`: the ZIP and its CSV files, read defensively, keeping only what Tandem needs
  (the district, its schools, its terms, and staff with their teacher and administrator
  roles). Students, guardians, demographics, results and passwords are never read.
- `planning`: what a package would change in Tandem, and every refusal, by file, line,
  column and value.
- `services`: the verbs: preview, apply, and the roster folder's nightly run.
"""

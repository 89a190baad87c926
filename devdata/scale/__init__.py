"""A generated district at scale (`manage.py seed_scale`) and the benchmark that serves it
(`manage.py bench`, `make bench`): the numbers of DESIGN §7 are measured on this data."""

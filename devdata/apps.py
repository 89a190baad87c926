from django.apps import AppConfig


class DevdataConfig(AppConfig):
    """What is made for trying and measuring Tandem, never for a school: the demo district
    (`manage.py seed_demo`), the district of DESIGN §7's size (`seed_scale`) and the load
    benchmark (`bench`). It sits on top of everything; no product module imports it."""

    name = "devdata"
    verbose_name = "Demo and scale data"

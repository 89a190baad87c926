"""Static files as production serves them."""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStorageWithJSModules(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed files with hashed names, and the imports between Tandem's
    JavaScript modules (static/js/capture/) rewritten to those names as well."""

    # Off in Django by default. Without it main.js would import "./queue.js" by its plain
    # name while the page preloads, and keeps for offline use, the hashed one: a reload
    # with no network would find no queue.js, and after a deploy a browser could pair a
    # new main.js with an old module.
    support_js_module_import_aggregation = True
    # Django's patterns, applied to Tandem's own scripts (static/js/) rather than every
    # file: they take django-htmx's JSDoc `{import("../htmx").HtmxInternalApi}` for an
    # import, and collectstatic stops on a file that does not exist.
    _js_module_import_aggregation_patterns = (
        "js/*.js",
        ManifestStaticFilesStorage._js_module_import_aggregation_patterns[1],
    )

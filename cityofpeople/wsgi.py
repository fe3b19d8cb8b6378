"""WSGI entry point for gunicorn: ``gunicorn cityofpeople.wsgi``."""

import gc
import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityofpeople.settings.prod")
application = get_wsgi_application()

# The address register (about 100,000 addresses, 180,000 objects) is read once per process; read it before
# the freeze below, or every full collection scans it again (about 150 ms in one request out of twenty on
# the "Find help" search near an address, bench/directory/search.py).
from apps.places.geo import geocoder  # noqa: E402 - needs the application loaded

try:
    geocoder()
except Exception:  # a city without an address file still starts; the first address lookup says why
    logging.getLogger(__name__).warning("The address finder could not be read at start.", exc_info=True)

# The objects made while starting (Django, the URL map, the translations: about 140,000) live as long as
# the process.  Frozen, the cyclic garbage collector stops scanning them on every full collection, which
# otherwise adds about 55 ms to one request in a few (bench/care/run.py --no-gc-freeze shows the 95th
# percentile of the heavy pages going from 157-207 ms to 89-128 ms).  Memory is still freed as usual.
gc.freeze()

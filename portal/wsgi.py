import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# Import every view now (the URLconf loads lazily otherwise), then move everything loaded so far out of the
# garbage collector's sight: a full collection in a worker then scans the requests' objects only, a few
# milliseconds instead of about 100 ms that the requests queued behind it waited (issue 4: p99 of the casting).
get_resolver().url_patterns  # noqa: B018 (imported for its side effect)
gc.collect()
gc.freeze()

"""The image's HEALTHCHECK: an API (or `all`) container is healthy while GET /ready answers 200 (the
database answers and, with `all`, the job worker runs). A worker has no HTTP: it exits when it
stops, and the container's restart policy brings it back."""

import os
import sys
import urllib.request

if os.environ.get("VIDGATE_ROLE", "all") == "worker":
    sys.exit(0)
url = f"http://127.0.0.1:{os.environ.get('VIDGATE_PORT', '8000')}/ready"
try:
    with urllib.request.urlopen(url, timeout=3) as answer:
        sys.exit(0 if answer.status == 200 else 1)
except OSError as exc:
    print(f"{url}: {exc}", file=sys.stderr)
    sys.exit(1)

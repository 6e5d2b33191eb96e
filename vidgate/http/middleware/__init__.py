"""ASGI layers in front of Connexion, outermost first: the request's trace span (when tracing is
on), request context (id, access log, metrics, response headers), admission (how many requests
are served at once), the studio's static files, and body limits (size, header size, time)."""

from .admission import Admission
from .limits import BodyLimits
from .request_context import RequestContext
from .studio import Studio
from .tracing import Tracing

__all__ = ["Admission", "BodyLimits", "RequestContext", "Studio", "Tracing"]

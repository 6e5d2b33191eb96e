"""The HTTP edge: the Connexion app built from the spec, its middlewares, the one mapping of domain
errors to statuses and BifrostError bodies, the wire shapes, and the studio's static files."""

from .app import create_app

__all__ = ["create_app"]

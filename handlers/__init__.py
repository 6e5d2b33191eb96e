"""Connexion handlers, one module per spec tag; each function is one operationId, and thin."""

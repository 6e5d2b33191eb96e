"""The embedded renderer: real H.264 MP4s on the CPU, deterministic in (prompt, seed).

numpy, PyAV and Pillow (~40 MB resident) load with the first render, not at start-up: a gateway
that only fronts remote providers never pays for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .spec import STYLES, ClipSpec, RenderCancelled, SourceScene

if TYPE_CHECKING:
    from .cast import character_still
    from .clips import derive_stills, remix_clip, render_clip
    from .ops import edit_clip, extend_clip
    from .probe import probe_video

__all__ = [
    "STYLES",
    "ClipSpec",
    "RenderCancelled",
    "SourceScene",
    "character_still",
    "derive_stills",
    "edit_clip",
    "extend_clip",
    "probe_video",
    "remix_clip",
    "render_clip",
]
_HEAVY = {
    "derive_stills": "clips",
    "remix_clip": "clips",
    "render_clip": "clips",
    "edit_clip": "ops",
    "extend_clip": "ops",
    "probe_video": "probe",
    "character_still": "cast",
}


def __getattr__(name: str) -> Any:
    if name in _HEAVY:
        import importlib

        return getattr(importlib.import_module(f".{_HEAVY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

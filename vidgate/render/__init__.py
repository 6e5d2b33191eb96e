"""The embedded renderer: real H.264 MP4s on the CPU, deterministic in (prompt, seed).

numpy, PyAV and Pillow (~40 MB resident) load with the first render, not at start-up: a gateway
that only fronts remote providers never pays for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .spec import STYLES, ClipSpec, RenderCancelled

if TYPE_CHECKING:
    from .clips import derive_stills, remix_clip, render_clip

__all__ = ["STYLES", "ClipSpec", "RenderCancelled", "derive_stills", "remix_clip", "render_clip"]
_HEAVY = ("derive_stills", "remix_clip", "render_clip")


def __getattr__(name: str) -> Any:
    if name in _HEAVY:
        from . import clips

        return getattr(clips, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

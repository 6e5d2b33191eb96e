"""Uploaded videos: decoded with PyAV to learn what they are (container, size, length), refused
with a clear reason when they are not a video this gateway can use."""

from __future__ import annotations

import io
from fractions import Fraction

import av

from ..domain import InvalidRequest, VideoInput

# FFmpeg's demuxer names for the containers taken, and the type each is served as.
CONTAINERS = {
    "mov,mp4,m4a,3gp,3g2,mj2": "video/mp4",
    "matroska,webm": "video/webm",
    "avi": "video/x-msvideo",
}


def _refuse(message: str, param: str) -> InvalidRequest:
    return InvalidRequest(message, code="invalid_video", param=param)


def probe_video(data: bytes, *, max_seconds: float, max_pixels: int, param: str = "video") -> VideoInput:
    """Open the container, check its first video stream and decode one frame: enough to know it is a
    video without decoding it all (the size limit of the request bounds the rest)."""
    if not data:
        raise _refuse("the uploaded video is empty", param)
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            kind = CONTAINERS.get(container.format.name)
            if kind is None:
                raise _refuse(
                    f"the upload is {container.format.long_name or container.format.name}, not a video "
                    "this gateway takes: send an MP4, MOV, WebM or AVI file",
                    param,
                )
            if not container.streams.video:
                raise _refuse("the uploaded file has no video stream", param)
            stream = container.streams.video[0]
            width, height = stream.codec_context.width, stream.codec_context.height
            if width <= 0 or height <= 0 or width * height > max_pixels:
                raise _refuse(f"the uploaded video is {width}x{height}; at most {max_pixels} pixels", param)
            rate = stream.average_rate or stream.guessed_rate or Fraction(24)
            frame = next(container.decode(stream), None)
            if frame is None:
                raise _refuse("the uploaded video has no frame that decodes", param)
            if stream.duration is not None and stream.time_base is not None:
                seconds = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                seconds = container.duration / av.time_base
            else:
                seconds = (stream.frames or 1) / float(rate)
    except av.error.FFmpegError as exc:
        raise _refuse(f"the upload is not a video that decodes ({type(exc).__name__})", param) from None
    if seconds <= 0:
        raise _refuse("the uploaded video has no duration", param)
    if seconds > max_seconds:
        raise _refuse(f"the uploaded video is {seconds:.1f} s long; at most {max_seconds:g} s", param)
    return VideoInput(data=data, mime_type=kind, seconds=seconds, width=width, height=height, fps=float(rate))

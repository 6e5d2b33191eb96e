from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.fallback import Fallback
    from ..models.video_source_reference import VideoSourceReference


T = TypeVar("T", bound="VideoGenerationRequest")


@_attrs_define
class VideoGenerationRequest:
    """
    Attributes:
        model (str): `provider/model`, e.g. `local/default`, `vertex/veo-3.1-generate-001`, `runway/gen4.5`,
            `kling/kling-v3` (`GET /v1/models` lists them). Example: local/default.
        prompt (str): What the video should show. Example: A paper boat drifting across a pond at sunset.
        input_reference (str | Unset): Reference image for image-to-video, as a base64 data URL or a plain URL.
        seconds (int | str | Unset): Length in seconds, 1 to 60 (default 4), as an integer or, as OpenAI clients send
            it, a string.
            Providers take only some lengths.
             Example: 4.
        size (str | Unset): `WIDTHxHEIGHT` in pixels, e.g. `1280x720`, `720x1280`, `1920x1080`. Which sizes a model
            takes
            depends on the provider; `local` takes even numbers from 64 to 1920 on either side.
             Example: 1280x720.
        negative_prompt (str | Unset): What the video should not show.
        seed (int | Unset): Same prompt and seed give the same video, where the provider supports it.
        video_uri (str | Unset): Source video for video-to-video, e.g. a GCS URI.
        audio (bool | Unset): Generate an audio track, where the model can.
        fallbacks (list[Fallback] | Unset): Tried in order when the primary provider fails.
        characters (list[VideoSourceReference] | Unset): Characters of the caller's (`POST /v1/videos/characters`) to
            cast, by id; name them in the
            prompt too. Only providers with characters take them (`local` does).
    """

    model: str
    prompt: str
    input_reference: str | Unset = UNSET
    seconds: int | str | Unset = UNSET
    size: str | Unset = UNSET
    negative_prompt: str | Unset = UNSET
    seed: int | Unset = UNSET
    video_uri: str | Unset = UNSET
    audio: bool | Unset = UNSET
    fallbacks: list[Fallback] | Unset = UNSET
    characters: list[VideoSourceReference] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        model = self.model

        prompt = self.prompt

        input_reference = self.input_reference

        seconds: int | str | Unset
        if isinstance(self.seconds, Unset):
            seconds = UNSET
        else:
            seconds = self.seconds

        size = self.size

        negative_prompt = self.negative_prompt

        seed = self.seed

        video_uri = self.video_uri

        audio = self.audio

        fallbacks: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.fallbacks, Unset):
            fallbacks = []
            for fallbacks_item_data in self.fallbacks:
                fallbacks_item = fallbacks_item_data.to_dict()
                fallbacks.append(fallbacks_item)

        characters: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.characters, Unset):
            characters = []
            for characters_item_data in self.characters:
                characters_item = characters_item_data.to_dict()
                characters.append(characters_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "model": model,
                "prompt": prompt,
            }
        )
        if input_reference is not UNSET:
            field_dict["input_reference"] = input_reference
        if seconds is not UNSET:
            field_dict["seconds"] = seconds
        if size is not UNSET:
            field_dict["size"] = size
        if negative_prompt is not UNSET:
            field_dict["negative_prompt"] = negative_prompt
        if seed is not UNSET:
            field_dict["seed"] = seed
        if video_uri is not UNSET:
            field_dict["video_uri"] = video_uri
        if audio is not UNSET:
            field_dict["audio"] = audio
        if fallbacks is not UNSET:
            field_dict["fallbacks"] = fallbacks
        if characters is not UNSET:
            field_dict["characters"] = characters

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fallback import Fallback  # noqa: PLC0415
        from ..models.video_source_reference import VideoSourceReference  # noqa: PLC0415

        d = dict(src_dict)
        model = d.pop("model")

        prompt = d.pop("prompt")

        input_reference = d.pop("input_reference", UNSET)

        def _parse_seconds(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        seconds = _parse_seconds(d.pop("seconds", UNSET))

        size = d.pop("size", UNSET)

        negative_prompt = d.pop("negative_prompt", UNSET)

        seed = d.pop("seed", UNSET)

        video_uri = d.pop("video_uri", UNSET)

        audio = d.pop("audio", UNSET)

        _fallbacks = d.pop("fallbacks", UNSET)
        fallbacks: list[Fallback] | Unset = UNSET
        if _fallbacks is not UNSET:
            fallbacks = []
            for fallbacks_item_data in _fallbacks:
                fallbacks_item = Fallback.from_dict(fallbacks_item_data)

                fallbacks.append(fallbacks_item)

        _characters = d.pop("characters", UNSET)
        characters: list[VideoSourceReference] | Unset = UNSET
        if _characters is not UNSET:
            characters = []
            for characters_item_data in _characters:
                characters_item = VideoSourceReference.from_dict(characters_item_data)

                characters.append(characters_item)

        video_generation_request = cls(
            model=model,
            prompt=prompt,
            input_reference=input_reference,
            seconds=seconds,
            size=size,
            negative_prompt=negative_prompt,
            seed=seed,
            video_uri=video_uri,
            audio=audio,
            fallbacks=fallbacks,
            characters=characters,
        )

        return video_generation_request

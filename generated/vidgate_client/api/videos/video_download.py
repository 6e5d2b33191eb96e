from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bifrost_error import BifrostError
from ...models.video_download_variant import VideoDownloadVariant
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    video_id: str,
    *,
    variant: VideoDownloadVariant | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_variant: str | Unset = UNSET
    if not isinstance(variant, Unset):
        json_variant = variant.value

    params["variant"] = json_variant

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/videos/{video_id}/content".format(
            video_id=quote(str(video_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BifrostError | File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    if response.status_code == 206:
        response_206 = File(payload=BytesIO(response.content))

        return response_206

    if response.status_code == 400:
        response_400 = BifrostError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = BifrostError.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = BifrostError.from_dict(response.json())

        return response_404

    if response.status_code == 416:
        response_416 = BifrostError.from_dict(response.json())

        return response_416

    if response.status_code == 500:
        response_500 = BifrostError.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = BifrostError.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = BifrostError.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[BifrostError | File]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    video_id: str,
    *,
    client: AuthenticatedClient,
    variant: VideoDownloadVariant | Unset = UNSET,
) -> Response[BifrostError | File]:
    """Download video content

     Downloads the binary content of a generated video.
    The video must have a status of "completed" to be downloadable.
    Returns the raw video file (typically MP4 format).

    Args:
        video_id (str):
        variant (VideoDownloadVariant | Unset): The MP4, a WebP thumbnail or a JPEG spritesheet
            (`sprite_sheet`, Bifrost's
            spelling, is the same as `spritesheet`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BifrostError | File]
    """

    kwargs = _get_kwargs(
        video_id=video_id,
        variant=variant,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    video_id: str,
    *,
    client: AuthenticatedClient,
    variant: VideoDownloadVariant | Unset = UNSET,
) -> BifrostError | File | None:
    """Download video content

     Downloads the binary content of a generated video.
    The video must have a status of "completed" to be downloadable.
    Returns the raw video file (typically MP4 format).

    Args:
        video_id (str):
        variant (VideoDownloadVariant | Unset): The MP4, a WebP thumbnail or a JPEG spritesheet
            (`sprite_sheet`, Bifrost's
            spelling, is the same as `spritesheet`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BifrostError | File
    """

    return sync_detailed(
        video_id=video_id,
        client=client,
        variant=variant,
    ).parsed


async def asyncio_detailed(
    video_id: str,
    *,
    client: AuthenticatedClient,
    variant: VideoDownloadVariant | Unset = UNSET,
) -> Response[BifrostError | File]:
    """Download video content

     Downloads the binary content of a generated video.
    The video must have a status of "completed" to be downloadable.
    Returns the raw video file (typically MP4 format).

    Args:
        video_id (str):
        variant (VideoDownloadVariant | Unset): The MP4, a WebP thumbnail or a JPEG spritesheet
            (`sprite_sheet`, Bifrost's
            spelling, is the same as `spritesheet`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BifrostError | File]
    """

    kwargs = _get_kwargs(
        video_id=video_id,
        variant=variant,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    video_id: str,
    *,
    client: AuthenticatedClient,
    variant: VideoDownloadVariant | Unset = UNSET,
) -> BifrostError | File | None:
    """Download video content

     Downloads the binary content of a generated video.
    The video must have a status of "completed" to be downloadable.
    Returns the raw video file (typically MP4 format).

    Args:
        video_id (str):
        variant (VideoDownloadVariant | Unset): The MP4, a WebP thumbnail or a JPEG spritesheet
            (`sprite_sheet`, Bifrost's
            spelling, is the same as `spritesheet`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BifrostError | File
    """

    return (
        await asyncio_detailed(
            video_id=video_id,
            client=client,
            variant=variant,
        )
    ).parsed

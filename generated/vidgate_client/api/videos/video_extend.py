from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bifrost_error import BifrostError
from ...models.video_extend_form import VideoExtendForm
from ...models.video_extend_request import VideoExtendRequest
from ...models.video_generation_response import VideoGenerationResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: VideoExtendForm | VideoExtendRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/videos/extensions",
    }

    if isinstance(body, VideoExtendForm):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"
    if isinstance(body, VideoExtendRequest):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BifrostError | VideoGenerationResponse | None:
    if response.status_code == 200:
        response_200 = VideoGenerationResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = BifrostError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = BifrostError.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = BifrostError.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = BifrostError.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = BifrostError.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = BifrostError.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = BifrostError.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = BifrostError.from_dict(response.json())

        return response_429

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BifrostError | VideoGenerationResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: VideoExtendForm | VideoExtendRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[BifrostError | VideoGenerationResponse]:
    """Extend a video

     A new job: the source video continued for `seconds` more and stitched to it, one video whose
    `seconds` is the total. The source is a completed video of the caller's (JSON
    `{"video": {"id": ...}}`), which its own provider extends, or an upload (multipart `video`),
    which `model` extends. Providers without extensions answer 400 `unsupported_operation`.

    Args:
        idempotency_key (str | Unset):
        body (VideoExtendForm): Extend an uploaded video (MP4, WebM or MOV; decoded and checked by
            the gateway).
        body (VideoExtendRequest): Continue a completed video of the caller's for `seconds` more;
            the result is one video, the
            source and its continuation, and its `seconds` is the stitched total.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BifrostError | VideoGenerationResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: VideoExtendForm | VideoExtendRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> BifrostError | VideoGenerationResponse | None:
    """Extend a video

     A new job: the source video continued for `seconds` more and stitched to it, one video whose
    `seconds` is the total. The source is a completed video of the caller's (JSON
    `{"video": {"id": ...}}`), which its own provider extends, or an upload (multipart `video`),
    which `model` extends. Providers without extensions answer 400 `unsupported_operation`.

    Args:
        idempotency_key (str | Unset):
        body (VideoExtendForm): Extend an uploaded video (MP4, WebM or MOV; decoded and checked by
            the gateway).
        body (VideoExtendRequest): Continue a completed video of the caller's for `seconds` more;
            the result is one video, the
            source and its continuation, and its `seconds` is the stitched total.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BifrostError | VideoGenerationResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: VideoExtendForm | VideoExtendRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[BifrostError | VideoGenerationResponse]:
    """Extend a video

     A new job: the source video continued for `seconds` more and stitched to it, one video whose
    `seconds` is the total. The source is a completed video of the caller's (JSON
    `{"video": {"id": ...}}`), which its own provider extends, or an upload (multipart `video`),
    which `model` extends. Providers without extensions answer 400 `unsupported_operation`.

    Args:
        idempotency_key (str | Unset):
        body (VideoExtendForm): Extend an uploaded video (MP4, WebM or MOV; decoded and checked by
            the gateway).
        body (VideoExtendRequest): Continue a completed video of the caller's for `seconds` more;
            the result is one video, the
            source and its continuation, and its `seconds` is the stitched total.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BifrostError | VideoGenerationResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: VideoExtendForm | VideoExtendRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> BifrostError | VideoGenerationResponse | None:
    """Extend a video

     A new job: the source video continued for `seconds` more and stitched to it, one video whose
    `seconds` is the total. The source is a completed video of the caller's (JSON
    `{"video": {"id": ...}}`), which its own provider extends, or an upload (multipart `video`),
    which `model` extends. Providers without extensions answer 400 `unsupported_operation`.

    Args:
        idempotency_key (str | Unset):
        body (VideoExtendForm): Extend an uploaded video (MP4, WebM or MOV; decoded and checked by
            the gateway).
        body (VideoExtendRequest): Continue a completed video of the caller's for `seconds` more;
            the result is one video, the
            source and its continuation, and its `seconds` is the stitched total.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BifrostError | VideoGenerationResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed

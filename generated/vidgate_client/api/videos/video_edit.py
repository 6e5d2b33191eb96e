from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bifrost_error import BifrostError
from ...models.video_edit_form import VideoEditForm
from ...models.video_edit_request import VideoEditRequest
from ...models.video_generation_response import VideoGenerationResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: VideoEditForm | VideoEditRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/videos/edits",
    }

    if isinstance(body, VideoEditForm):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"
    if isinstance(body, VideoEditRequest):
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
    body: VideoEditForm | VideoEditRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[BifrostError | VideoGenerationResponse]:
    """Edit a video

     A new job: the source video made again to a new prompt. The source is a completed video of
    the caller's (JSON `{"video": {"id": ...}}`; another tenant's is a 404), which its own
    provider edits, or an upload (multipart `video`), which `model` (default: the gateway's
    default model) edits. Providers without edits answer 400 `unsupported_operation`.

    Args:
        idempotency_key (str | Unset):
        body (VideoEditForm): Edit an uploaded video (MP4, WebM or MOV; decoded and checked by the
            gateway).
        body (VideoEditRequest): Edit a completed video of the caller's, named by id.

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
    body: VideoEditForm | VideoEditRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> BifrostError | VideoGenerationResponse | None:
    """Edit a video

     A new job: the source video made again to a new prompt. The source is a completed video of
    the caller's (JSON `{"video": {"id": ...}}`; another tenant's is a 404), which its own
    provider edits, or an upload (multipart `video`), which `model` (default: the gateway's
    default model) edits. Providers without edits answer 400 `unsupported_operation`.

    Args:
        idempotency_key (str | Unset):
        body (VideoEditForm): Edit an uploaded video (MP4, WebM or MOV; decoded and checked by the
            gateway).
        body (VideoEditRequest): Edit a completed video of the caller's, named by id.

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
    body: VideoEditForm | VideoEditRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[BifrostError | VideoGenerationResponse]:
    """Edit a video

     A new job: the source video made again to a new prompt. The source is a completed video of
    the caller's (JSON `{"video": {"id": ...}}`; another tenant's is a 404), which its own
    provider edits, or an upload (multipart `video`), which `model` (default: the gateway's
    default model) edits. Providers without edits answer 400 `unsupported_operation`.

    Args:
        idempotency_key (str | Unset):
        body (VideoEditForm): Edit an uploaded video (MP4, WebM or MOV; decoded and checked by the
            gateway).
        body (VideoEditRequest): Edit a completed video of the caller's, named by id.

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
    body: VideoEditForm | VideoEditRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> BifrostError | VideoGenerationResponse | None:
    """Edit a video

     A new job: the source video made again to a new prompt. The source is a completed video of
    the caller's (JSON `{"video": {"id": ...}}`; another tenant's is a 404), which its own
    provider edits, or an upload (multipart `video`), which `model` (default: the gateway's
    default model) edits. Providers without edits answer 400 `unsupported_operation`.

    Args:
        idempotency_key (str | Unset):
        body (VideoEditForm): Edit an uploaded video (MP4, WebM or MOV; decoded and checked by the
            gateway).
        body (VideoEditRequest): Edit a completed video of the caller's, named by id.

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

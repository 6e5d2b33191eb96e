from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bifrost_error import BifrostError
from ...models.video_generation_form import VideoGenerationForm
from ...models.video_generation_request import VideoGenerationRequest
from ...models.video_generation_response import VideoGenerationResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: VideoGenerationForm | VideoGenerationRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/videos",
    }

    if isinstance(body, VideoGenerationForm):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"
    if isinstance(body, VideoGenerationRequest):
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
    body: VideoGenerationForm | VideoGenerationRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[BifrostError | VideoGenerationResponse]:
    """Generate a video

     Creates a video generation job from a text prompt. This is an asynchronous operation
    that returns immediately with a job ID. Use the retrieve endpoint to check the status
    and get the video URL when generation is complete.

    Args:
        idempotency_key (str | Unset):
        body (VideoGenerationForm): The same request as multipart/form-data (what OpenAI SDKs
            send); an image file may be uploaded as `input_reference`.
        body (VideoGenerationRequest):

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
    body: VideoGenerationForm | VideoGenerationRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> BifrostError | VideoGenerationResponse | None:
    """Generate a video

     Creates a video generation job from a text prompt. This is an asynchronous operation
    that returns immediately with a job ID. Use the retrieve endpoint to check the status
    and get the video URL when generation is complete.

    Args:
        idempotency_key (str | Unset):
        body (VideoGenerationForm): The same request as multipart/form-data (what OpenAI SDKs
            send); an image file may be uploaded as `input_reference`.
        body (VideoGenerationRequest):

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
    body: VideoGenerationForm | VideoGenerationRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[BifrostError | VideoGenerationResponse]:
    """Generate a video

     Creates a video generation job from a text prompt. This is an asynchronous operation
    that returns immediately with a job ID. Use the retrieve endpoint to check the status
    and get the video URL when generation is complete.

    Args:
        idempotency_key (str | Unset):
        body (VideoGenerationForm): The same request as multipart/form-data (what OpenAI SDKs
            send); an image file may be uploaded as `input_reference`.
        body (VideoGenerationRequest):

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
    body: VideoGenerationForm | VideoGenerationRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> BifrostError | VideoGenerationResponse | None:
    """Generate a video

     Creates a video generation job from a text prompt. This is an asynchronous operation
    that returns immediately with a job ID. Use the retrieve endpoint to check the status
    and get the video URL when generation is complete.

    Args:
        idempotency_key (str | Unset):
        body (VideoGenerationForm): The same request as multipart/form-data (what OpenAI SDKs
            send); an image file may be uploaded as `input_reference`.
        body (VideoGenerationRequest):

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

from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bifrost_error import BifrostError
from ...models.open_ai_video import OpenAIVideo
from ...models.open_ai_video_remix import OpenAIVideoRemix
from ...types import UNSET, Response, Unset


def _get_kwargs(
    video_id: str,
    *,
    body: OpenAIVideoRemix,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/openai/v1/videos/{video_id}/remix".format(
            video_id=quote(str(video_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BifrostError | OpenAIVideo | None:
    if response.status_code == 200:
        response_200 = OpenAIVideo.from_dict(response.json())

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BifrostError | OpenAIVideo]:
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
    body: OpenAIVideoRemix,
    idempotency_key: str | Unset = UNSET,
) -> Response[BifrostError | OpenAIVideo]:
    """Remix a video (OpenAI-compatible)

    Args:
        video_id (str):
        idempotency_key (str | Unset):
        body (OpenAIVideoRemix):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BifrostError | OpenAIVideo]
    """

    kwargs = _get_kwargs(
        video_id=video_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    video_id: str,
    *,
    client: AuthenticatedClient,
    body: OpenAIVideoRemix,
    idempotency_key: str | Unset = UNSET,
) -> BifrostError | OpenAIVideo | None:
    """Remix a video (OpenAI-compatible)

    Args:
        video_id (str):
        idempotency_key (str | Unset):
        body (OpenAIVideoRemix):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BifrostError | OpenAIVideo
    """

    return sync_detailed(
        video_id=video_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    video_id: str,
    *,
    client: AuthenticatedClient,
    body: OpenAIVideoRemix,
    idempotency_key: str | Unset = UNSET,
) -> Response[BifrostError | OpenAIVideo]:
    """Remix a video (OpenAI-compatible)

    Args:
        video_id (str):
        idempotency_key (str | Unset):
        body (OpenAIVideoRemix):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BifrostError | OpenAIVideo]
    """

    kwargs = _get_kwargs(
        video_id=video_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    video_id: str,
    *,
    client: AuthenticatedClient,
    body: OpenAIVideoRemix,
    idempotency_key: str | Unset = UNSET,
) -> BifrostError | OpenAIVideo | None:
    """Remix a video (OpenAI-compatible)

    Args:
        video_id (str):
        idempotency_key (str | Unset):
        body (OpenAIVideoRemix):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BifrostError | OpenAIVideo
    """

    return (
        await asyncio_detailed(
            video_id=video_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed

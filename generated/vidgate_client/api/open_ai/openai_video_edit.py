from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bifrost_error import BifrostError
from ...models.open_ai_video import OpenAIVideo
from ...models.open_ai_video_edit_form import OpenAIVideoEditForm
from ...models.open_ai_video_edit_json import OpenAIVideoEditJson
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: OpenAIVideoEditForm | OpenAIVideoEditJson | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/openai/v1/videos/edits",
    }

    if isinstance(body, OpenAIVideoEditForm):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"
    if isinstance(body, OpenAIVideoEditJson):
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
) -> Response[BifrostError | OpenAIVideo]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: OpenAIVideoEditForm | OpenAIVideoEditJson | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[BifrostError | OpenAIVideo]:
    """Edit a video (OpenAI-compatible)

     The SDK's `videos.edit`: a new job, the source made again to the new prompt. The source is
    an upload (`video`) or a completed video of the caller's (`video[id]` in a form, `{"id"}` in
    JSON; another tenant's is a 404).

    Args:
        idempotency_key (str | Unset):
        body (OpenAIVideoEditForm): What the OpenAI SDK's `videos.edit` sends (always multipart):
            the source video uploaded as
            `video`, or a completed video of the caller's as `video[id]`.
        body (OpenAIVideoEditJson):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BifrostError | OpenAIVideo]
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
    body: OpenAIVideoEditForm | OpenAIVideoEditJson | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> BifrostError | OpenAIVideo | None:
    """Edit a video (OpenAI-compatible)

     The SDK's `videos.edit`: a new job, the source made again to the new prompt. The source is
    an upload (`video`) or a completed video of the caller's (`video[id]` in a form, `{"id"}` in
    JSON; another tenant's is a 404).

    Args:
        idempotency_key (str | Unset):
        body (OpenAIVideoEditForm): What the OpenAI SDK's `videos.edit` sends (always multipart):
            the source video uploaded as
            `video`, or a completed video of the caller's as `video[id]`.
        body (OpenAIVideoEditJson):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BifrostError | OpenAIVideo
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: OpenAIVideoEditForm | OpenAIVideoEditJson | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[BifrostError | OpenAIVideo]:
    """Edit a video (OpenAI-compatible)

     The SDK's `videos.edit`: a new job, the source made again to the new prompt. The source is
    an upload (`video`) or a completed video of the caller's (`video[id]` in a form, `{"id"}` in
    JSON; another tenant's is a 404).

    Args:
        idempotency_key (str | Unset):
        body (OpenAIVideoEditForm): What the OpenAI SDK's `videos.edit` sends (always multipart):
            the source video uploaded as
            `video`, or a completed video of the caller's as `video[id]`.
        body (OpenAIVideoEditJson):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BifrostError | OpenAIVideo]
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
    body: OpenAIVideoEditForm | OpenAIVideoEditJson | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> BifrostError | OpenAIVideo | None:
    """Edit a video (OpenAI-compatible)

     The SDK's `videos.edit`: a new job, the source made again to the new prompt. The source is
    an upload (`video`) or a completed video of the caller's (`video[id]` in a form, `{"id"}` in
    JSON; another tenant's is a 404).

    Args:
        idempotency_key (str | Unset):
        body (OpenAIVideoEditForm): What the OpenAI SDK's `videos.edit` sends (always multipart):
            the source video uploaded as
            `video`, or a completed video of the caller's as `video[id]`.
        body (OpenAIVideoEditJson):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BifrostError | OpenAIVideo
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed

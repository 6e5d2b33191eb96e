from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bifrost_error import BifrostError
from ...models.open_ai_video_list import OpenAIVideoList
from ...models.openai_video_list_order import OpenaiVideoListOrder
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    after: str | Unset = UNSET,
    limit: int | Unset = 20,
    order: OpenaiVideoListOrder | Unset = OpenaiVideoListOrder.DESC,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["after"] = after

    params["limit"] = limit

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/openai/v1/videos",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BifrostError | OpenAIVideoList | None:
    if response.status_code == 200:
        response_200 = OpenAIVideoList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = BifrostError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = BifrostError.from_dict(response.json())

        return response_401

    if response.status_code == 500:
        response_500 = BifrostError.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BifrostError | OpenAIVideoList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    after: str | Unset = UNSET,
    limit: int | Unset = 20,
    order: OpenaiVideoListOrder | Unset = OpenaiVideoListOrder.DESC,
) -> Response[BifrostError | OpenAIVideoList]:
    """List videos (OpenAI-compatible; all of the caller's providers)

    Args:
        after (str | Unset):
        limit (int | Unset):  Default: 20.
        order (OpenaiVideoListOrder | Unset):  Default: OpenaiVideoListOrder.DESC.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BifrostError | OpenAIVideoList]
    """

    kwargs = _get_kwargs(
        after=after,
        limit=limit,
        order=order,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    after: str | Unset = UNSET,
    limit: int | Unset = 20,
    order: OpenaiVideoListOrder | Unset = OpenaiVideoListOrder.DESC,
) -> BifrostError | OpenAIVideoList | None:
    """List videos (OpenAI-compatible; all of the caller's providers)

    Args:
        after (str | Unset):
        limit (int | Unset):  Default: 20.
        order (OpenaiVideoListOrder | Unset):  Default: OpenaiVideoListOrder.DESC.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BifrostError | OpenAIVideoList
    """

    return sync_detailed(
        client=client,
        after=after,
        limit=limit,
        order=order,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    after: str | Unset = UNSET,
    limit: int | Unset = 20,
    order: OpenaiVideoListOrder | Unset = OpenaiVideoListOrder.DESC,
) -> Response[BifrostError | OpenAIVideoList]:
    """List videos (OpenAI-compatible; all of the caller's providers)

    Args:
        after (str | Unset):
        limit (int | Unset):  Default: 20.
        order (OpenaiVideoListOrder | Unset):  Default: OpenaiVideoListOrder.DESC.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BifrostError | OpenAIVideoList]
    """

    kwargs = _get_kwargs(
        after=after,
        limit=limit,
        order=order,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    after: str | Unset = UNSET,
    limit: int | Unset = 20,
    order: OpenaiVideoListOrder | Unset = OpenaiVideoListOrder.DESC,
) -> BifrostError | OpenAIVideoList | None:
    """List videos (OpenAI-compatible; all of the caller's providers)

    Args:
        after (str | Unset):
        limit (int | Unset):  Default: 20.
        order (OpenaiVideoListOrder | Unset):  Default: OpenaiVideoListOrder.DESC.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BifrostError | OpenAIVideoList
    """

    return (
        await asyncio_detailed(
            client=client,
            after=after,
            limit=limit,
            order=order,
        )
    ).parsed

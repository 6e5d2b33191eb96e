from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bifrost_error import BifrostError
from ...models.video_list_order import VideoListOrder
from ...models.video_list_response import VideoListResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    provider: str,
    after: str | Unset = UNSET,
    limit: int | Unset = 20,
    order: VideoListOrder | Unset = VideoListOrder.DESC,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["provider"] = provider

    params["after"] = after

    params["limit"] = limit

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/videos",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BifrostError | VideoListResponse | None:
    if response.status_code == 200:
        response_200 = VideoListResponse.from_dict(response.json())

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

    if response.status_code == 503:
        response_503 = BifrostError.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BifrostError | VideoListResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    provider: str,
    after: str | Unset = UNSET,
    limit: int | Unset = 20,
    order: VideoListOrder | Unset = VideoListOrder.DESC,
) -> Response[BifrostError | VideoListResponse]:
    """List video generation jobs

     Lists video generation jobs for a specific provider. Results are paginated
    and can be filtered using query parameters.

    Args:
        provider (str):
        after (str | Unset):
        limit (int | Unset):  Default: 20.
        order (VideoListOrder | Unset):  Default: VideoListOrder.DESC.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BifrostError | VideoListResponse]
    """

    kwargs = _get_kwargs(
        provider=provider,
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
    provider: str,
    after: str | Unset = UNSET,
    limit: int | Unset = 20,
    order: VideoListOrder | Unset = VideoListOrder.DESC,
) -> BifrostError | VideoListResponse | None:
    """List video generation jobs

     Lists video generation jobs for a specific provider. Results are paginated
    and can be filtered using query parameters.

    Args:
        provider (str):
        after (str | Unset):
        limit (int | Unset):  Default: 20.
        order (VideoListOrder | Unset):  Default: VideoListOrder.DESC.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BifrostError | VideoListResponse
    """

    return sync_detailed(
        client=client,
        provider=provider,
        after=after,
        limit=limit,
        order=order,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    provider: str,
    after: str | Unset = UNSET,
    limit: int | Unset = 20,
    order: VideoListOrder | Unset = VideoListOrder.DESC,
) -> Response[BifrostError | VideoListResponse]:
    """List video generation jobs

     Lists video generation jobs for a specific provider. Results are paginated
    and can be filtered using query parameters.

    Args:
        provider (str):
        after (str | Unset):
        limit (int | Unset):  Default: 20.
        order (VideoListOrder | Unset):  Default: VideoListOrder.DESC.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BifrostError | VideoListResponse]
    """

    kwargs = _get_kwargs(
        provider=provider,
        after=after,
        limit=limit,
        order=order,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    provider: str,
    after: str | Unset = UNSET,
    limit: int | Unset = 20,
    order: VideoListOrder | Unset = VideoListOrder.DESC,
) -> BifrostError | VideoListResponse | None:
    """List video generation jobs

     Lists video generation jobs for a specific provider. Results are paginated
    and can be filtered using query parameters.

    Args:
        provider (str):
        after (str | Unset):
        limit (int | Unset):  Default: 20.
        order (VideoListOrder | Unset):  Default: VideoListOrder.DESC.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BifrostError | VideoListResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            provider=provider,
            after=after,
            limit=limit,
            order=order,
        )
    ).parsed

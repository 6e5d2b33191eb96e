from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bifrost_error import BifrostError
from ...models.usage_response import UsageResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    since: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["since"] = since

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/usage",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BifrostError | UsageResponse | None:
    if response.status_code == 200:
        response_200 = UsageResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = BifrostError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = BifrostError.from_dict(response.json())

        return response_401

    if response.status_code == 429:
        response_429 = BifrostError.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = BifrostError.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BifrostError | UsageResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    since: int | Unset = 0,
) -> Response[BifrostError | UsageResponse]:
    """Spend in dollars and seconds of video, per API key, provider, model and day

     The caller's tenant's completed videos since `since` (Unix seconds; default all time), with
    what they cost (the catalog's price per output second, quoted at creation); and the budgets
    the caller's jobs count against, with what is left this period. The ledger outlives deleted
    jobs.

    Args:
        since (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BifrostError | UsageResponse]
    """

    kwargs = _get_kwargs(
        since=since,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    since: int | Unset = 0,
) -> BifrostError | UsageResponse | None:
    """Spend in dollars and seconds of video, per API key, provider, model and day

     The caller's tenant's completed videos since `since` (Unix seconds; default all time), with
    what they cost (the catalog's price per output second, quoted at creation); and the budgets
    the caller's jobs count against, with what is left this period. The ledger outlives deleted
    jobs.

    Args:
        since (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BifrostError | UsageResponse
    """

    return sync_detailed(
        client=client,
        since=since,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    since: int | Unset = 0,
) -> Response[BifrostError | UsageResponse]:
    """Spend in dollars and seconds of video, per API key, provider, model and day

     The caller's tenant's completed videos since `since` (Unix seconds; default all time), with
    what they cost (the catalog's price per output second, quoted at creation); and the budgets
    the caller's jobs count against, with what is left this period. The ledger outlives deleted
    jobs.

    Args:
        since (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BifrostError | UsageResponse]
    """

    kwargs = _get_kwargs(
        since=since,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    since: int | Unset = 0,
) -> BifrostError | UsageResponse | None:
    """Spend in dollars and seconds of video, per API key, provider, model and day

     The caller's tenant's completed videos since `since` (Unix seconds; default all time), with
    what they cost (the catalog's price per output second, quoted at creation); and the budgets
    the caller's jobs count against, with what is left this period. The ledger outlives deleted
    jobs.

    Args:
        since (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BifrostError | UsageResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            since=since,
        )
    ).parsed

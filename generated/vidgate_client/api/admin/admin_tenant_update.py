from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bifrost_error import BifrostError
from ...models.tenant import Tenant
from ...models.tenant_update import TenantUpdate
from ...types import Response


def _get_kwargs(
    tenant: str,
    *,
    body: TenantUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/admin/v1/tenants/{tenant}".format(
            tenant=quote(str(tenant), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BifrostError | Tenant | None:
    if response.status_code == 200:
        response_200 = Tenant.from_dict(response.json())

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
) -> Response[BifrostError | Tenant]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant: str,
    *,
    client: AuthenticatedClient,
    body: TenantUpdate,
) -> Response[BifrostError | Tenant]:
    """Set a tenant's budget or job limit (null removes one)

    Args:
        tenant (str):
        body (TenantUpdate): The fields to change; `null` removes the budget or the tenant's own
            job limit. Example: {'budget': {'usd': 1000, 'period': 'month'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BifrostError | Tenant]
    """

    kwargs = _get_kwargs(
        tenant=tenant,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    tenant: str,
    *,
    client: AuthenticatedClient,
    body: TenantUpdate,
) -> BifrostError | Tenant | None:
    """Set a tenant's budget or job limit (null removes one)

    Args:
        tenant (str):
        body (TenantUpdate): The fields to change; `null` removes the budget or the tenant's own
            job limit. Example: {'budget': {'usd': 1000, 'period': 'month'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BifrostError | Tenant
    """

    return sync_detailed(
        tenant=tenant,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    tenant: str,
    *,
    client: AuthenticatedClient,
    body: TenantUpdate,
) -> Response[BifrostError | Tenant]:
    """Set a tenant's budget or job limit (null removes one)

    Args:
        tenant (str):
        body (TenantUpdate): The fields to change; `null` removes the budget or the tenant's own
            job limit. Example: {'budget': {'usd': 1000, 'period': 'month'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BifrostError | Tenant]
    """

    kwargs = _get_kwargs(
        tenant=tenant,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    tenant: str,
    *,
    client: AuthenticatedClient,
    body: TenantUpdate,
) -> BifrostError | Tenant | None:
    """Set a tenant's budget or job limit (null removes one)

    Args:
        tenant (str):
        body (TenantUpdate): The fields to change; `null` removes the budget or the tenant's own
            job limit. Example: {'budget': {'usd': 1000, 'period': 'month'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BifrostError | Tenant
    """

    return (
        await asyncio_detailed(
            tenant=tenant,
            client=client,
            body=body,
        )
    ).parsed

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.budget_setting import BudgetSetting
    from ..models.budget_status import BudgetStatus


T = TypeVar("T", bound="ApiKeyCreated")


@_attrs_define
class ApiKeyCreated:
    """The new key; `key` is shown this once and stored only as a hash.

    Attributes:
        id (str):  Example: key_0123456789abcdef.
        tenant (str):
        name (str):
        created_at (int):
        revoked (bool):
        key (str):  Example: vg-3kq9....
        revoked_at (int | Unset):
        requests_per_minute (int | Unset):
        max_active_jobs (int | Unset):
        budget (BudgetSetting | Unset): A budget in US dollars per calendar period (UTC). Example: {'usd': 50, 'period':
            'month'}.
        spend (BudgetStatus | Unset): A budget in its current period (UTC): what it allows, what was spent, what jobs in
            progress hold.
    """

    id: str
    tenant: str
    name: str
    created_at: int
    revoked: bool
    key: str
    revoked_at: int | Unset = UNSET
    requests_per_minute: int | Unset = UNSET
    max_active_jobs: int | Unset = UNSET
    budget: BudgetSetting | Unset = UNSET
    spend: BudgetStatus | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        tenant = self.tenant

        name = self.name

        created_at = self.created_at

        revoked = self.revoked

        key = self.key

        revoked_at = self.revoked_at

        requests_per_minute = self.requests_per_minute

        max_active_jobs = self.max_active_jobs

        budget: dict[str, Any] | Unset = UNSET
        if not isinstance(self.budget, Unset):
            budget = self.budget.to_dict()

        spend: dict[str, Any] | Unset = UNSET
        if not isinstance(self.spend, Unset):
            spend = self.spend.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "tenant": tenant,
                "name": name,
                "created_at": created_at,
                "revoked": revoked,
                "key": key,
            }
        )
        if revoked_at is not UNSET:
            field_dict["revoked_at"] = revoked_at
        if requests_per_minute is not UNSET:
            field_dict["requests_per_minute"] = requests_per_minute
        if max_active_jobs is not UNSET:
            field_dict["max_active_jobs"] = max_active_jobs
        if budget is not UNSET:
            field_dict["budget"] = budget
        if spend is not UNSET:
            field_dict["spend"] = spend

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.budget_setting import BudgetSetting  # noqa: PLC0415
        from ..models.budget_status import BudgetStatus  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        tenant = d.pop("tenant")

        name = d.pop("name")

        created_at = d.pop("created_at")

        revoked = d.pop("revoked")

        key = d.pop("key")

        revoked_at = d.pop("revoked_at", UNSET)

        requests_per_minute = d.pop("requests_per_minute", UNSET)

        max_active_jobs = d.pop("max_active_jobs", UNSET)

        _budget = d.pop("budget", UNSET)
        budget: BudgetSetting | Unset
        if isinstance(_budget, Unset):
            budget = UNSET
        else:
            budget = BudgetSetting.from_dict(_budget)

        _spend = d.pop("spend", UNSET)
        spend: BudgetStatus | Unset
        if isinstance(_spend, Unset):
            spend = UNSET
        else:
            spend = BudgetStatus.from_dict(_spend)

        api_key_created = cls(
            id=id,
            tenant=tenant,
            name=name,
            created_at=created_at,
            revoked=revoked,
            key=key,
            revoked_at=revoked_at,
            requests_per_minute=requests_per_minute,
            max_active_jobs=max_active_jobs,
            budget=budget,
            spend=spend,
        )

        api_key_created.additional_properties = d
        return api_key_created

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

"""Contains all the data models used in inputs/outputs"""

from .api_key import ApiKey
from .api_key_create import ApiKeyCreate
from .api_key_created import ApiKeyCreated
from .api_key_list import ApiKeyList
from .api_key_list_object import ApiKeyListObject
from .api_key_update import ApiKeyUpdate
from .bifrost_error import BifrostError
from .bifrost_error_extra_fields import BifrostErrorExtraFields
from .bifrost_error_extra_fields_details import BifrostErrorExtraFieldsDetails
from .bifrost_response_extra_fields import BifrostResponseExtraFields
from .bifrost_response_extra_fields_cache_debug import BifrostResponseExtraFieldsCacheDebug
from .bifrost_response_extra_fields_raw_request import BifrostResponseExtraFieldsRawRequest
from .bifrost_response_extra_fields_raw_response import BifrostResponseExtraFieldsRawResponse
from .budget_change_type_0 import BudgetChangeType0
from .budget_change_type_0_period import BudgetChangeType0Period
from .budget_setting import BudgetSetting
from .budget_setting_period import BudgetSettingPeriod
from .budget_status import BudgetStatus
from .budget_status_period import BudgetStatusPeriod
from .budget_status_scope import BudgetStatusScope
from .error_field import ErrorField
from .fallback import Fallback
from .health_response import HealthResponse
from .health_response_status import HealthResponseStatus
from .job_cost import JobCost
from .model_entry import ModelEntry
from .model_entry_audio import ModelEntryAudio
from .model_entry_capabilities_item import ModelEntryCapabilitiesItem
from .model_entry_lifecycle import ModelEntryLifecycle
from .model_entry_operations_item import ModelEntryOperationsItem
from .model_entry_seconds import ModelEntrySeconds
from .model_list import ModelList
from .model_list_object import ModelListObject
from .model_price import ModelPrice
from .model_price_currency import ModelPriceCurrency
from .model_price_per_second import ModelPricePerSecond
from .model_price_per_second_with_audio import ModelPricePerSecondWithAudio
from .model_provider import ModelProvider
from .open_ai_character_reference import OpenAICharacterReference
from .open_ai_image_reference import OpenAIImageReference
from .open_ai_video import OpenAIVideo
from .open_ai_video_character import OpenAIVideoCharacter
from .open_ai_video_character_form import OpenAIVideoCharacterForm
from .open_ai_video_create_form import OpenAIVideoCreateForm
from .open_ai_video_create_json import OpenAIVideoCreateJson
from .open_ai_video_deleted import OpenAIVideoDeleted
from .open_ai_video_deleted_object import OpenAIVideoDeletedObject
from .open_ai_video_edit_form import OpenAIVideoEditForm
from .open_ai_video_edit_json import OpenAIVideoEditJson
from .open_ai_video_error_type_0 import OpenAIVideoErrorType0
from .open_ai_video_extend_form import OpenAIVideoExtendForm
from .open_ai_video_extend_json import OpenAIVideoExtendJson
from .open_ai_video_list import OpenAIVideoList
from .open_ai_video_list_object import OpenAIVideoListObject
from .open_ai_video_object import OpenAIVideoObject
from .open_ai_video_reference import OpenAIVideoReference
from .open_ai_video_remix import OpenAIVideoRemix
from .open_ai_video_status import OpenAIVideoStatus
from .openai_video_download_content_variant import OpenaiVideoDownloadContentVariant
from .openai_video_list_order import OpenaiVideoListOrder
from .ready_response import ReadyResponse
from .ready_response_status import ReadyResponseStatus
from .spend_report import SpendReport
from .spend_report_object import SpendReportObject
from .tenant import Tenant
from .tenant_list import TenantList
from .tenant_list_object import TenantListObject
from .tenant_update import TenantUpdate
from .usage_response import UsageResponse
from .usage_response_object import UsageResponseObject
from .usage_row import UsageRow
from .video_character import VideoCharacter
from .video_character_form import VideoCharacterForm
from .video_character_object import VideoCharacterObject
from .video_character_request import VideoCharacterRequest
from .video_delete_response import VideoDeleteResponse
from .video_delete_response_object import VideoDeleteResponseObject
from .video_download_variant import VideoDownloadVariant
from .video_edit_form import VideoEditForm
from .video_edit_request import VideoEditRequest
from .video_error import VideoError
from .video_extend_form import VideoExtendForm
from .video_extend_request import VideoExtendRequest
from .video_generation_form import VideoGenerationForm
from .video_generation_request import VideoGenerationRequest
from .video_generation_response import VideoGenerationResponse
from .video_generation_response_object import VideoGenerationResponseObject
from .video_list_order import VideoListOrder
from .video_list_response import VideoListResponse
from .video_list_response_object import VideoListResponseObject
from .video_object import VideoObject
from .video_object_object import VideoObjectObject
from .video_output import VideoOutput
from .video_output_type import VideoOutputType
from .video_remix_request import VideoRemixRequest
from .video_source_reference import VideoSourceReference
from .video_status import VideoStatus

__all__ = (
    "ApiKey",
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyList",
    "ApiKeyListObject",
    "ApiKeyUpdate",
    "BifrostError",
    "BifrostErrorExtraFields",
    "BifrostErrorExtraFieldsDetails",
    "BifrostResponseExtraFields",
    "BifrostResponseExtraFieldsCacheDebug",
    "BifrostResponseExtraFieldsRawRequest",
    "BifrostResponseExtraFieldsRawResponse",
    "BudgetChangeType0",
    "BudgetChangeType0Period",
    "BudgetSetting",
    "BudgetSettingPeriod",
    "BudgetStatus",
    "BudgetStatusPeriod",
    "BudgetStatusScope",
    "ErrorField",
    "Fallback",
    "HealthResponse",
    "HealthResponseStatus",
    "JobCost",
    "ModelEntry",
    "ModelEntryAudio",
    "ModelEntryCapabilitiesItem",
    "ModelEntryLifecycle",
    "ModelEntryOperationsItem",
    "ModelEntrySeconds",
    "ModelList",
    "ModelListObject",
    "ModelPrice",
    "ModelPriceCurrency",
    "ModelPricePerSecond",
    "ModelPricePerSecondWithAudio",
    "ModelProvider",
    "OpenAICharacterReference",
    "OpenAIImageReference",
    "OpenAIVideo",
    "OpenAIVideoCharacter",
    "OpenAIVideoCharacterForm",
    "OpenAIVideoCreateForm",
    "OpenAIVideoCreateJson",
    "OpenAIVideoDeleted",
    "OpenAIVideoDeletedObject",
    "OpenaiVideoDownloadContentVariant",
    "OpenAIVideoEditForm",
    "OpenAIVideoEditJson",
    "OpenAIVideoErrorType0",
    "OpenAIVideoExtendForm",
    "OpenAIVideoExtendJson",
    "OpenAIVideoList",
    "OpenAIVideoListObject",
    "OpenaiVideoListOrder",
    "OpenAIVideoObject",
    "OpenAIVideoReference",
    "OpenAIVideoRemix",
    "OpenAIVideoStatus",
    "ReadyResponse",
    "ReadyResponseStatus",
    "SpendReport",
    "SpendReportObject",
    "Tenant",
    "TenantList",
    "TenantListObject",
    "TenantUpdate",
    "UsageResponse",
    "UsageResponseObject",
    "UsageRow",
    "VideoCharacter",
    "VideoCharacterForm",
    "VideoCharacterObject",
    "VideoCharacterRequest",
    "VideoDeleteResponse",
    "VideoDeleteResponseObject",
    "VideoDownloadVariant",
    "VideoEditForm",
    "VideoEditRequest",
    "VideoError",
    "VideoExtendForm",
    "VideoExtendRequest",
    "VideoGenerationForm",
    "VideoGenerationRequest",
    "VideoGenerationResponse",
    "VideoGenerationResponseObject",
    "VideoListOrder",
    "VideoListResponse",
    "VideoListResponseObject",
    "VideoObject",
    "VideoObjectObject",
    "VideoOutput",
    "VideoOutputType",
    "VideoRemixRequest",
    "VideoSourceReference",
    "VideoStatus",
)

"""Contains all the data models used in inputs/outputs"""

from .bifrost_error import BifrostError
from .bifrost_error_extra_fields import BifrostErrorExtraFields
from .bifrost_response_extra_fields import BifrostResponseExtraFields
from .bifrost_response_extra_fields_cache_debug import BifrostResponseExtraFieldsCacheDebug
from .bifrost_response_extra_fields_raw_request import BifrostResponseExtraFieldsRawRequest
from .bifrost_response_extra_fields_raw_response import BifrostResponseExtraFieldsRawResponse
from .error_field import ErrorField
from .fallback import Fallback
from .health_response import HealthResponse
from .health_response_status import HealthResponseStatus
from .model_provider import ModelProvider
from .video_delete_response import VideoDeleteResponse
from .video_delete_response_object import VideoDeleteResponseObject
from .video_download_variant import VideoDownloadVariant
from .video_error import VideoError
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
from .video_status import VideoStatus

__all__ = (
    "BifrostError",
    "BifrostErrorExtraFields",
    "BifrostResponseExtraFields",
    "BifrostResponseExtraFieldsCacheDebug",
    "BifrostResponseExtraFieldsRawRequest",
    "BifrostResponseExtraFieldsRawResponse",
    "ErrorField",
    "Fallback",
    "HealthResponse",
    "HealthResponseStatus",
    "ModelProvider",
    "VideoDeleteResponse",
    "VideoDeleteResponseObject",
    "VideoDownloadVariant",
    "VideoError",
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
    "VideoStatus",
)

"""The fakes of OpenAI's Videos API stand for an OpenAI-compatible endpoint that still serves the
Sora names, so the gateways in front of them are configured as such an endpoint's operator would
configure theirs: the retired Sora entries re-enabled in the catalog."""

from __future__ import annotations

import json

SORA_STILL_SERVED_CATALOG = {
    "openai": {"models": {"sora-2": {"retires_on": None}, "sora-2-pro": {"retires_on": None}}}
}
SORA_STILL_SERVED = {"VIDGATE_CATALOG": json.dumps(SORA_STILL_SERVED_CATALOG)}

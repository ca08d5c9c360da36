"""Domain API modules register the OpenAPI paths and schemas they serve here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Extension = Callable[[dict[str, Any], dict[str, Any]], None]
EXTENSIONS: list[Extension] = []


def openapi_extension(func: Extension) -> Extension:
    """Decorator: add this function's paths and schemas to the OpenAPI document."""
    EXTENSIONS.append(func)
    return func

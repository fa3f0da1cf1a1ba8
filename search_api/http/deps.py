"""Dependencies declared once: the service and the settings the routes share."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kg.config import Settings

from ..core.service import SearchService


def get_service(request: Request) -> SearchService:
    return request.app.state.service


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


ServiceDep = Annotated[SearchService, Depends(get_service)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

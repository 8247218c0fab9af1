"""Middleware for every page: refuse unusable query strings; keep signed-in answers uncached."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

BAD_QUERY = "The address holds a character no page accepts (a NUL): remove it and try again."


class BadQueryMiddleware:
    """Answer 400 to a query string holding a NUL character, before any view reads it.

    PostgreSQL cannot store or compare a NUL in text, so `?category=%00` reached the database
    and failed with a server error; no filter, page or export has a use for one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or "\x00" in value for key, value in _pairs(request)):
            raise BadRequest(BAD_QUERY)
        return self.get_response(request)


def _pairs(request: HttpRequest):
    for key, values in request.GET.lists():
        for value in values:
            yield key, value


class NoStoreForSignedInMiddleware:
    """Send every answer to a signed-in user with `Cache-Control: no-store` (and private).

    Pages and exports hold partnership data: a shared computer's browser cache or a proxy must
    not keep a copy after the user signs out. Static files are served before this (whitenoise)
    and keep their long cache lifetimes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response

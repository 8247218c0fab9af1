"""Request bodies bounded before Django reads them: a size per URL, files only where wanted.

Before this, any client could send a 1 GB body to any URL: the CSRF middleware parsed it (to
disk, for a multipart body) before any check, and the upload form's size check ran after the
whole body had been written. Now:

- `BoundedBodyMiddleware` answers 413 to a body whose declared length passes the URL's limit
  without reading a byte of it, and parses a multipart body itself, through the handler below,
  so a refusal is a clear 413 or 400 page rather than a server error;
- `BoundedUploadHandler` (first in FILE_UPLOAD_HANDLERS) refuses a file part on any URL that
  takes no file, and stops reading once the bytes received pass the limit.

nginx refuses oversized bodies before they reach gunicorn at all (deploy/nginx.conf.template);
this is the portal's own bound, behind any proxy or none.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

TOO_LARGE = (
    "The request is {size} MB; this address accepts at most {limit} MB. Nothing was saved. "
    "Split a large file (for example one file per financial year) and load each part."
)
NO_FILE_HERE = "This address takes no file. Nothing was saved."


class UploadRefused(Exception):
    """Raised while reading a request body that the portal will not read to the end."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def takes_files(request: HttpRequest) -> bool:
    """Return True when the request's URL is one that accepts uploaded files."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in settings.FILE_UPLOAD_URL_NAMES


def body_limit(request: HttpRequest) -> int:
    """Return the most bytes of body the request's URL accepts."""
    if takes_files(request):
        return settings.UPLOAD_MAX_BODY_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f}"


def too_large(size: int, limit: int) -> UploadRefused:
    return UploadRefused(TOO_LARGE.format(size=_megabytes(size), limit=_megabytes(limit)), 413)


class BoundedUploadHandler(FileUploadHandler):
    """Refuses files where none are wanted and stops reading past the URL's body limit."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None) -> None:
        self.limit = body_limit(self.request)
        self.received = 0
        if content_length > self.limit:
            raise too_large(content_length, self.limit)

    def new_file(self, *args, **kwargs) -> None:
        if not takes_files(self.request):
            raise UploadRefused(NO_FILE_HERE, 400)
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            raise too_large(self.received, self.limit)
        return raw_data  # the next handler (memory or temporary file) stores it

    def file_complete(self, file_size: int) -> None:
        return None


class BoundedBodyMiddleware:
    """Answer 413 or 400 to a body the URL will not take, before anything else reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = body_limit(request)
        if declared > limit:
            return _refusal(too_large(declared, limit))
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                request.POST  # noqa: B018 (parsed here, through BoundedUploadHandler)
            except UploadRefused as refusal:
                return _refusal(refusal)
        return self.get_response(request)


def _refusal(refusal: UploadRefused) -> HttpResponse:
    response = HttpResponse(refusal.message, status=refusal.status, content_type="text/plain")
    # The rest of the body is never read: the connection cannot carry another request.
    response["Connection"] = "close"
    return response

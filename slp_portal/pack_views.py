"""Issuing a meeting's board pack and the live pack's PDF: these render the board pack, which
combines the apps, so they live on the top floor with it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_POST

from partnership.models import BoardMeeting
from partnership.packs import pack_body, pack_content
from partnership.pdf import pdf_response
from partnership.services import pack_issue, require_admin_or_chair
from slp_portal.views import render_board_pack


@require_POST
def issue_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """Freeze the board pack for a meeting as it stands now (Admin and Chair)."""
    require_admin_or_chair(request.user)
    meeting = get_object_or_404(BoardMeeting, pk=pk)
    rendered = render_board_pack(request, meeting=meeting)
    if isinstance(rendered, HttpResponse):
        return rendered
    page, context = rendered
    try:
        pack_issue(
            meeting=meeting,
            html=pack_body(page),
            content=pack_content(context),
            issued_by=request.user,
        )
    except ValueError as refused:
        messages.error(request, str(refused))
        return redirect("partnership:meeting", pk=meeting.pk)
    messages.success(request, f"The pack for {meeting} is issued; it will not change.")
    return redirect("partnership:issued_pack", pk=meeting.pk)


@require_GET
def board_pack_pdf(request: HttpRequest) -> HttpResponse:
    """The live board pack (as the reader may see it) as an A4 PDF."""
    # No flash messages: the PDF must not carry (or use up) a message meant for the page.
    rendered = render_board_pack(request, extra={"for_pdf": True, "messages": []})
    if isinstance(rendered, HttpResponse):
        return rendered
    page, context = rendered
    return pdf_response(page, request, f"slp-board-pack-{context['generated']:%Y-%m-%d}.pdf")

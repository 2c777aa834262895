"""Who used the admin, and the request behind every event recorded while serving it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from tandem.audit.models import Action
from tandem.audit.services import audit_record, current_request

# Admin views that show or change nothing of anyone's (translations, the login page).
SKIPPED_ADMIN_VIEWS = frozenset({"jsi18n", "login", "logout"})


class AuditMiddleware:
    """Keeps the request at hand for `services.audit_record` (a right granted from a signal
    knows who granted it), and records each request a staff member makes to the admin: its
    method, address, the object and, for a person's own page, whose it is. After
    AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with current_request(request):
            response = self.get_response(request)
            self._admin_use(request, response)
        return response

    def _admin_use(self, request: HttpRequest, response: HttpResponse) -> None:
        match = request.resolver_match
        user = getattr(request, "user", None)
        if (
            match is None
            or "admin" not in match.namespaces
            or match.url_name in SKIPPED_ADMIN_VIEWS
            or user is None
            or not user.is_authenticated
            or not user.is_staff
        ):
            return
        object_id = str(match.kwargs.get("object_id", ""))
        subject = (
            int(object_id)
            if object_id.isdigit()
            and (match.url_name or "").startswith("accounts_user_")
            and int(object_id) < 2**63
            else None
        )
        audit_record(
            actor=user,
            action=Action.ADMIN,
            subject_user=subject,
            target=" ".join(filter(None, [match.url_name or "", object_id]))[:200],
            request=request,
            detail={"status": response.status_code},
        )

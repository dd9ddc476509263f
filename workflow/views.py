from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from . import data_subject, services
from .audit import LIMIT, AuditFilterForm, audit_rows, write_csv
from .forms import DataSubjectForm
from .models import AccessLog, Attachment, FootageRequest
from .selectors import user_may_see_request


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def private_file_response(field_file, content_type: str, *, download_name: str = "") -> HttpResponse:
    prefix = settings.CCTV_PRIVATE_X_ACCEL_PREFIX
    if prefix:
        # nginx streams the file from an internal location; the access check and the log stay here.
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{field_file.name}"
    else:
        response = FileResponse(field_file.open("rb"), content_type=content_type)
    if download_name:
        ascii_name = download_name.encode("ascii", "ignore").decode().replace('"', "") or "footage"
        response["Content-Disposition"] = f'attachment; filename="{ascii_name}"'
    else:
        response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response


def attachment_file(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("request"), pk=pk)
    if not user_may_see_request(request.user, attachment.request):
        raise PermissionDenied
    services.record_access(
        footage_request=attachment.request,
        user=request.user,
        what=AccessLog.What.ATTACHMENT,
        object_id=attachment.pk,
        ip=client_ip(request),
    )
    return private_file_response(attachment.file, attachment.content_type)


def signature_file(request, pk: int):
    footage_request = get_object_or_404(FootageRequest, pk=pk)
    if not user_may_see_request(request.user, footage_request):
        raise PermissionDenied
    services.record_access(
        footage_request=footage_request, user=request.user, what=AccessLog.What.SIGNATURE, ip=client_ip(request)
    )
    return private_file_response(footage_request.signature, "image/png")


def audit_report(request):
    """Read-only for auditors: the merged audit trail, on screen or as CSV."""
    if not request.user.has_perm("cctv_workflow.view_audit_report"):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = audit_rows(filters)
    if request.GET.get("export") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="cctv-audit.csv"'
        response.write("\ufeff")  # Excel opens UTF-8 Thai correctly with a BOM
        write_csv(rows, response)
        return response
    return TemplateResponse(
        request,
        "workflow/audit_report.html",
        {"form": form, "rows": rows, "limit": LIMIT, "query": request.GET.urlencode()},
    )


def data_subject_requests(request):
    """Staff answer a person's PDPA request: find by ID number, export, or erase with a recorded reason."""
    if not request.user.has_perm("cctv_workflow.handle_data_subject_requests"):
        raise PermissionDenied
    form = DataSubjectForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        national_id = form.cleaned_data["national_id"]
        action = request.POST.get("action")
        if action == "export":
            response = HttpResponse(
                data_subject.export_person(national_id=national_id, user=request.user, ip=client_ip(request)),
                content_type="application/json; charset=utf-8",
            )
            response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
            response["Cache-Control"] = "no-store"
            return response
        if action == "erase":
            if not form.cleaned_data["reason"].strip():
                form.add_error("reason", _("Give the reason for the erasure."))
            else:
                count = data_subject.erase_person(
                    national_id=national_id, user=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("%(count)s request(s) erased.") % {"count": count})
                return redirect("cctv_data_subject")
        found = list(data_subject.requests_of(national_id).select_related(None).only("reference"))
    return TemplateResponse(request, "workflow/data_subject.html", {"form": form, "found": found})

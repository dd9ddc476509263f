from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from cctv.http import client_ip
from workflow.privacy import data_subject
from workflow.privacy.audit import LIMIT, AuditFilterForm, audit_rows, write_csv
from workflow.privacy.forms import DataSubjectForm, ErasureConfirmationForm, confirmation_token


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
    """Staff answer a person's PDPA request: find by ID number, export, or erase with a recorded reason. Erasing
    shows what will go first (warning of requests still in progress); only that page's confirmation erases."""
    if not request.user.has_perm("cctv_workflow.handle_data_subject_requests"):
        raise PermissionDenied
    action = request.POST.get("action")
    if request.method == "POST" and action == "erase_confirmed":
        return _erase_confirmed(request)
    form = DataSubjectForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        national_id = form.cleaned_data["national_id"]
        if action == "export":
            response = HttpResponse(
                data_subject.export_person(national_id=national_id, user=request.user, ip=client_ip(request)),
                content_type="application/json; charset=utf-8",
            )
            response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
            response["Cache-Control"] = "no-store"
            return response
        if action == "erase":
            reason = form.cleaned_data["reason"].strip()
            if not reason:
                form.add_error("reason", _("Give the reason for the erasure."))
            else:
                items = data_subject.erasure_preview(national_id=national_id)
                if items:
                    return _confirmation_page(request, national_id=national_id, reason=reason, items=items)
        found = list(data_subject.requests_of(national_id).select_related(None).only("reference"))
    return TemplateResponse(request, "workflow/data_subject.html", {"form": form, "found": found})


def _confirmation_page(request, *, national_id: str, reason: str, items: list) -> TemplateResponse:
    form = ErasureConfirmationForm(
        initial={
            "national_id": national_id,
            "reason": reason,
            "confirmation": confirmation_token(item.pk for item in items),
        }
    )
    response = TemplateResponse(
        request,
        "workflow/data_subject_confirm.html",
        {
            "form": form,
            "items": items,
            "in_progress": [item for item in items if item.in_progress],
            "reason": reason,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


def _erase_confirmed(request):
    form = ErasureConfirmationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("cctv_data_subject")
    national_id, reason = form.cleaned_data["national_id"], form.cleaned_data["reason"].strip()
    try:
        count = data_subject.erase_person(
            national_id=national_id,
            user=request.user,
            reason=reason,
            confirmed_ids=form.cleaned_data["confirmation"],
        )
    except data_subject.ErasureChanged:
        items = data_subject.erasure_preview(national_id=national_id)
        if not items:
            messages.warning(request, _("The person's requests were erased meanwhile. Nothing more to erase."))
            return redirect("cctv_data_subject")
        messages.warning(
            request, _("The person's requests changed since the list was shown. Check it again before you erase.")
        )
        return _confirmation_page(request, national_id=national_id, reason=reason, items=items)
    messages.success(request, _("%(count)s request(s) erased.") % {"count": count})
    return redirect("cctv_data_subject")

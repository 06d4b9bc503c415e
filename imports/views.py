"""Upload a spreadsheet, watch its progress, read the summary."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from imports import batches, jobs
from imports.forms import UploadForm
from imports.models import ImportJob
from supportdesk import spreadsheets
from tickets.permissions import ADD

ERRORS_SHOWN = 200

# A column's name for a row error the file's header does not give (a column
# the file lacks, or a job from before headers were kept).
COLUMN_LABELS = {
    "text": gettext_lazy("考生原话"),
    "channel": gettext_lazy("渠道"),
    "candidate_number": gettext_lazy("考生号"),
    "candidate_name": gettext_lazy("考生姓名"),
    "college": gettext_lazy("学院"),
    "contact": gettext_lazy("联系方式"),
    "created_at": gettext_lazy("时间"),
}


def column_label(job, column: str) -> str:
    """The column as the uploaded file named it (考号), else its usual name."""
    return job.column_headers.get(column) or str(COLUMN_LABELS.get(column, column))


def _desk_only(request):
    if not request.user.has_perm(ADD):
        raise PermissionDenied(_("只有服务台人员可以批量导入。"))


def index(request):
    _desk_only(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = jobs.job_create(
            actor=request.user,
            upload=form.cleaned_data["file"],
            default_channel=form.cleaned_data["default_channel"],
        )
        return redirect("imports:job", pk=job.pk)
    recent = ImportJob.objects.select_related("created_by")[:20]
    return render(
        request,
        "imports/index.html",
        {"form": form, "jobs": recent},
        status=400 if form.errors else 200,
    )


def job_detail(request, pk):
    _desk_only(request)
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    errors = list(job.row_errors.all()[: ERRORS_SHOWN + 1])
    for error in errors:
        error.column_label = column_label(job, error.column)
    return render(
        request,
        "imports/job.html",
        {
            "job": job,
            "errors": errors[:ERRORS_SHOWN],
            "more_errors": len(errors) > ERRORS_SHOWN,
            "errors_capped": job.row_errors.count() >= batches.MAX_STORED_PROBLEMS,
            "errors_cap": batches.MAX_STORED_PROBLEMS,
        },
    )


def progress_data(job):
    return {
        "status": job.status,
        "status_display": job.get_status_display(),
        "finished": job.is_finished,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "percent": job.percent,
        "created": job.created_count,
        "duplicates": job.duplicate_count,
        "errors": job.error_count,
        "blank": job.blank_count,
        "failure": job.failure,
        "may_resume": job.may_resume,
    }


def job_progress(request, pk):
    _desk_only(request)
    job = get_object_or_404(ImportJob, pk=pk)
    return JsonResponse(progress_data(job))


def job_errors_csv(request, pk):
    """Every bad row, to fix in the spreadsheet and import again. The excerpts
    are the uploaded file's own text: no cell may become a formula."""
    _desk_only(request)
    job = get_object_or_404(ImportJob, pk=pk)
    rows = job.row_errors.values_list("row_number", "column", "reason", "value")
    named = (
        (number, column_label(job, column), reason, value)
        for number, column, reason, value in rows.iterator(chunk_size=2000)
    )
    return spreadsheets.csv_response(
        [_("行号"), _("列"), _("原因"), _("内容摘录")],
        named,
        f"import-{job.pk}-errors.csv",
    )


@require_POST
def job_resume(request, pk):
    _desk_only(request)
    job = get_object_or_404(ImportJob, pk=pk)
    if not job.may_resume:
        messages.warning(request, _("此导入无需继续。"))
    else:
        jobs.job_resume(actor=request.user, job=job)
        messages.success(request, _("已继续导入，已完成的行不会重复导入。"))
    return redirect("imports:job", pk=job.pk)

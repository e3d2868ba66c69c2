from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("print/", views.printable, name="print"),
    path("report.pdf", views.report_pdf, name="report-pdf"),
    path("report.xlsx", views.workbook, name="workbook"),
    path("unclaimed/", views.unclaimed, name="unclaimed"),
]

from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("due/", views.due, name="due"),
    path("new/<int:elder_pk>/", views.new, name="new"),
    path("request/<int:elder_pk>/", views.request_assessment, name="request"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report-pdf"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/edit/", views.edit, name="edit"),
]

from django.urls import path

from . import views

app_name = "subsidies"

urlpatterns = [
    path("eligible/", views.eligible, name="eligible"),
    path("apply/<int:elder_pk>/", views.apply, name="apply"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:pk>/form.pdf", views.application_pdf, name="application-pdf"),
    path("applications/<int:pk>/resubmit/", views.resubmit, name="resubmit"),
    path("applications/<int:pk>/documents/", views.add_document, name="add-document"),
    path("entitlements/<int:pk>/payee/", views.payee_change, name="payee-change"),
    path("review/", views.review_queue, name="review-queue"),
    path("review/<int:pk>/", views.review, name="review"),
    path("facility/<int:pk>/", views.organisation, {"kind": "facility"}, name="facility"),
    path("caregiver/<int:pk>/", views.organisation, {"kind": "caregiver"}, name="caregiver"),
    path("schemes/", views.schemes, name="schemes"),
    path("schemes/<int:pk>/", views.scheme_edit, name="scheme"),
    path("batches/", views.batches, name="batches"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/approve/", views.approve_batch, name="approve-batch"),
    path("batches/<int:pk>/checks/", views.decide_checks, name="decide-checks"),
    path("batches/<int:pk>/payees.xlsx", views.payees_workbook, name="payees"),
    path("runs/", views.run_roll, name="run-roll"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("batches/<int:pk>/roster.xlsx", views.roster, name="roster"),
]

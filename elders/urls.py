from django.urls import path

from . import views

app_name = "elders"

urlpatterns = [
    # The site's root is the inbox (notifications); the registry's list is one of its links.
    path("elders/", views.my_elders, name="my-elders"),
    path("elders/new/", views.elder_create, name="elder-create"),
    path("elders/import/", views.import_page, name="import"),
    path("elders/import/template.xlsx", views.import_template, name="import-template"),
    path("elders/<int:pk>/", views.elder_detail, name="elder-detail"),
    path("elders/<int:pk>/file.pdf", views.elder_file_pdf, name="elder-pdf"),
    path("elders/<int:pk>/edit/", views.elder_edit, name="elder-edit"),
    path("elders/<int:pk>/status/", views.elder_status, name="elder-status"),
    path("elders/<int:pk>/contacts/new/", views.contact_add, name="contact-add"),
    path("elders/<int:pk>/contacts/<int:contact_pk>/remove/", views.contact_remove, name="contact-remove"),
]

from django.urls import path

from . import views

app_name = "exchanges"

urlpatterns = [
    path("", views.exchange_list, name="list"),
    path("templates/<slug:kind>.xlsx", views.template_workbook, name="template"),
    path("loads/", views.loads, name="loads"),
    path("loads/template.xlsx", views.load_template, name="load-template"),
    path("loads/<int:pk>/", views.load_detail, name="load"),
    path("loads/<int:pk>/confirm/", views.load_confirm, name="load-confirm"),
    path("loads/<int:pk>/errors.xlsx", views.load_errors, name="load-errors"),
    path("<int:pk>/", views.exchange_detail, name="detail"),
    path("<int:pk>/accept-all/", views.accept_all, name="accept-all"),
    path("<int:pk>/rows/<int:row_pk>/review/", views.review, name="review"),
]

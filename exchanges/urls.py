from django.urls import path

from . import views

app_name = "exchanges"

urlpatterns = [
    path("", views.exchange_list, name="list"),
    path("templates/<slug:kind>.xlsx", views.template_workbook, name="template"),
    path("<int:pk>/", views.exchange_detail, name="detail"),
    path("<int:pk>/accept-all/", views.accept_all, name="accept-all"),
    path("<int:pk>/rows/<int:row_pk>/review/", views.review, name="review"),
]

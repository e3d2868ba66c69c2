from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("", views.staff_list, name="staff-list"),
    path("new/", views.staff_create, name="staff-create"),
    path("<int:pk>/", views.staff_detail, name="staff-detail"),
    path("<int:pk>/password/", views.staff_reset_password, name="staff-reset-password"),
    path("<int:pk>/unlock/", views.staff_unlock, name="staff-unlock"),
    path("regions/", views.region_children, name="region-children"),
]

from django.urls import path

from . import views

app_name = "facilities"

urlpatterns = [
    path("", views.facility_list, name="list"),
    path("shortfalls/", views.shortfalls, name="shortfalls"),
    path("space/", views.space, name="space"),
    path("standards/", views.standards, name="standards"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/admit/", views.admit, name="admit"),
    path("<int:pk>/beds/", views.add_beds, name="add-beds"),
    path("<int:pk>/beds/<int:bed_pk>/use/", views.bed_use, name="bed-use"),
    path("<int:pk>/offer/", views.offer, name="offer"),
    path("residencies/<int:pk>/discharge/", views.discharge, name="discharge"),
    path("apply/<int:elder_pk>/", views.apply, name="apply"),
]

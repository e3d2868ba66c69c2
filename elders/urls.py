from django.urls import path

from . import views

app_name = "elders"

urlpatterns = [
    path("", views.my_elders, name="my-elders"),
]

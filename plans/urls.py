from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.units, name="units"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/report/", views.report, name="report"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]

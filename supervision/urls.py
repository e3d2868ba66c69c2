from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/new/", views.plan_new, name="plan-new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/draw/", views.plan_draw, name="plan-draw"),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/answer/", views.order_answer, name="order-answer"),
    path("orders/<int:pk>/reinspect/", views.order_reinspect, name="order-reinspect"),
    path("orders/<int:pk>/case/", views.order_case, name="order-case"),
    path("results/<int:pk>/photo/", views.result_photo, name="photo"),
    path("orders/<int:pk>/evidence/", views.order_evidence, name="evidence"),
    path("complaints/", views.complaints, name="complaints"),
    path("complaints/new/", views.complaint_new, name="complaint-new"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint"),
    path("rate/<str:kind>/<int:pk>/", views.rate, name="rate"),
]

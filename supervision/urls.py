from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.home, name="home"),
    path("public/", views.public_results, name="public"),
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
    path("estates/", views.estates, name="estates"),
    path("estates/new/", views.estate_new, name="estate-new"),
    path("estates/<int:pk>/check/", views.estate_check, name="estate-check"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/facility/<int:pk>/", views.review_new, name="review-new"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("stars/", views.stars, name="stars"),
    path("stars/published/", views.stars_published, name="stars-published"),
    path("stars/apply/", views.star_apply, name="star-apply"),
    path("stars/<int:pk>/", views.star_detail, name="star"),
    path("stars/<int:pk>/score/", views.star_score, name="star-score"),
]

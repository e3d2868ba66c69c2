from django.urls import path

from . import views

app_name = "services"

urlpatterns = [
    path("due/", views.due, name="due"),
    path("new/<int:elder_pk>/", views.new_visit, name="new"),
    path("mine/", views.my_visits, name="mine"),
    path("follow-ups/", views.follow_ups, name="follow-ups"),
    path("follow-ups/<int:pk>/close/", views.close_follow_up, name="close-follow-up"),
    path("rule/", views.visit_rule, name="visit-rule"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/new/", views.catalogue_item, name="catalogue-new"),
    path("catalogue/<str:code>/", views.catalogue_item, name="catalogue-item"),
    path("catalogue/<str:code>/retire/", views.catalogue_retire, name="catalogue-retire"),
]

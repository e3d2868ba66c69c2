from django.urls import path

from . import views

app_name = "homecare"

urlpatterns = [
    path("orders/", views.orders, name="orders"),
    path("orders/new/<int:elder_pk>/", views.new_order, name="new-order"),
    path("orders/<int:pk>/dispatch/", views.dispatch_order, name="dispatch"),
    path("orders/<int:pk>/check-in/", views.check_in, name="check-in"),
    path("orders/<int:pk>/check-out/", views.check_out, name="check-out"),
    path("orders/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("day/", views.day, name="day"),
    path("statements/", views.statements, name="statements"),
    path("statements/<int:pk>/", views.statement, name="statement"),
    path("statements/<int:pk>/approve/", views.approve, name="approve"),
    path("statements/<int:pk>/export/", views.export, name="export"),
    path("lines/<int:pk>/dispute/", views.dispute, name="dispute"),
    path("flags/<int:pk>/decide/", views.decide, name="decide"),
    path("calls/", views.calls, name="calls"),
    path("calls/new/", views.new_call, name="new-call"),
    path("calls/<int:pk>/answer/", views.answer, name="answer"),
    path("elders/<int:pk>/", views.elder_home, name="elder"),
    path("elders/<int:pk>/pin/", views.set_pin, name="set-pin"),
    path("elders/<int:pk>/location/", views.set_location, name="set-location"),
    path("elders/<int:pk>/stays/", views.add_stay, name="add-stay"),
    path("stays/<int:pk>/discharge/", views.discharge, name="discharge"),
    path("prices/", views.prices, name="prices"),
]

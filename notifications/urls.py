from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.preferences, name="preferences"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("calendar/", views.calendar_page, name="calendar_page"),
    path("calendar/new-address/", views.calendar_reset, name="calendar_reset"),
    path("calendar/<str:token>.ics", views.calendar, name="calendar"),
]

from django.urls import path

from . import views

app_name = "homes"
urlpatterns = [
    path("", views.route, name="route"),
    path("coach/", views.coach_home, name="coach"),
    path("teacher/", views.teacher_home, name="teacher"),
    path("school/", views.school_admin_home, name="school_admin"),
    path("district/", views.district_admin_home, name="district_admin"),
    path("search/", views.search, name="search"),
]

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/schools/<int:school>/", views.school_report, name="school_report"),
    path(
        "reports/schools/<int:school>/export.csv", views.school_report_csv, name="school_report_csv"
    ),
    path("reports/districts/<int:district>/", views.district_report, name="district_report"),
    path(
        "reports/districts/<int:district>/export.csv",
        views.district_report_csv,
        name="district_report_csv",
    ),
    path("reports/how-teachers-are-protected/", views.privacy, name="privacy"),
]

from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("my-records/", views.mine, name="mine"),
    path("my-records/export/", views.export, name="export"),
    path("my-records/portfolio/", views.portfolio, name="portfolio"),
    path("my-records/<uuid:export>/tandem-records.zip", views.download, name="download"),
    path("data-we-keep/", views.data_we_keep, name="data_we_keep"),
]

from django.urls import path

from . import views

app_name = "video"
urlpatterns = [
    path("videos/", views.video_list, name="list"),
    path("videos/new/", views.video_add, name="add"),
    path("cycles/<uuid:cycle>/videos/new/", views.video_add, name="add_in_cycle"),
    path("videos/uploads/", views.upload_start, name="upload_start"),
    path("videos/uploads/<uuid:video>/", views.upload_piece, name="upload_piece"),
    path("videos/uploads/<uuid:video>/finish/", views.upload_finish, name="upload_finish"),
    path("videos/<uuid:video>/", views.video_detail, name="detail"),
    path("videos/<uuid:video>/lesson.mp4", views.video_file, name="file"),
    path("videos/<uuid:video>/poster.jpg", views.video_poster, name="poster"),
    path("videos/<uuid:video>/share/", views.VideoShareView.as_view(), name="share"),
    path("videos/<uuid:video>/delete/", views.video_delete, name="delete"),
    path("videos/<uuid:video>/comments/", views.comment_add, name="comment_add"),
    path(
        "videos/<uuid:video>/comments/<uuid:comment>/delete/",
        views.comment_delete,
        name="comment_delete",
    ),
]

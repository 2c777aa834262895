from django.urls import path

from tandem.people import views

app_name = "people"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/", views.profile_me, name="profile_me"),
    path("me/roles/", views.role_add, name="role_add"),
    path("me/roles/<int:pk>/", views.role_edit, name="role_edit"),
    path("me/roles/<int:pk>/delete/", views.role_delete, name="role_delete"),
    path("import/", views.import_view, name="import"),
    path("import/columns/", views.import_columns, name="import_columns"),
    path("import/<int:pk>/", views.import_status, name="import_status"),
    path("export.csv", views.export_view, name="export"),
    path("<int:pk>/", views.profile_detail, name="profile"),
]

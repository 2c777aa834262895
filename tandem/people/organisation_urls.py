from django.urls import path

from tandem.people import organisation_views as views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("<int:pk>/", views.organisation_admin, name="admin"),
    path("<int:pk>/relations/", views.relations_edit, name="relations"),
    path("<int:pk>/associations/", views.association_add, name="association_add"),
    path("<int:pk>/domains/", views.domain_add, name="domain_add"),
    path("<int:pk>/admins/", views.admin_appoint, name="admin_appoint"),
    path(
        "<int:pk>/people/<int:user_pk>/invitation/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "<int:pk>/people/<int:user_pk>/programme-manager/",
        views.programme_manager_set,
        name="programme_manager",
    ),
]

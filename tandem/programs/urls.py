from django.urls import path

from tandem.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("join/<str:token>/", views.join, name="join"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/edit/", views.programme_edit, name="edit"),
    path("<int:pk>/questions/", views.question_add, name="question_add"),
    path("<int:pk>/questions/<int:qpk>/delete/", views.question_delete, name="question_delete"),
    path("<int:pk>/managers/", views.manager_add, name="manager_add"),
    path("<int:pk>/invite-link/", views.invite_link, name="invite_link"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/accept/", views.invitation_accept, name="invitation_accept"),
    path("invitations/<int:pk>/decline/", views.invitation_decline, name="invitation_decline"),
    path("invitations/link/<str:token>/", views.invitation_link, name="invitation_link"),
    path("<int:pk>/enrol-csv/", views.enrol_csv, name="enrol_csv"),
    path("<int:pk>/participants/", views.participants, name="participants"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/account-invitation/",
        views.account_invitation_resend,
        name="account_invitation_resend",
    ),
    path("<int:pk>/mentors/", views.mentors, name="mentors"),
    path("<int:pk>/mentors/<int:mentor_pk>/ask/", views.mentor_ask, name="mentor_ask"),
    path("<int:pk>/runs/", views.run_start, name="run_start"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/relationships/", views.relationships, name="relationships"),
    path("<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/rule/", views.pair_rule, name="pair_rule"),
    path("runs/<int:pk>/publish/", views.run_publish, name="run_publish"),
    path("checkins/<int:pk>/", views.checkin, name="checkin"),
    path("circles/<int:pk>/", views.circle_detail, name="circle"),
    path("circles/<int:pk>/agenda/<int:item_pk>/", views.agenda_toggle, name="agenda_toggle"),
]

from django.urls import path

from tandem.growth import views

app_name = "growth"
urlpatterns = [
    path("", views.home, name="home"),
    path("goals/", views.goals, name="goals"),
    path("goals/shared/", views.shared_goals, name="shared_goals"),
    path("goals/<int:pk>/", views.goal_detail, name="goal_detail"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/status/", views.goal_status, name="goal_status"),
    path("goals/<int:pk>/delete/", views.goal_delete, name="goal_delete"),
    path("goals/<int:pk>/progress/", views.goal_progress, name="goal_progress"),
    path("goals/<int:pk>/comment/", views.goal_comment, name="goal_comment"),
    path("steps/", views.step_add, name="step_add"),
    path("steps/<int:pk>/toggle/", views.step_toggle, name="step_toggle"),
    path("steps/<int:pk>/delete/", views.step_delete, name="step_delete"),
    path("job/", views.job, name="job"),
    path("job/<int:pk>/", views.job_detail, name="job_detail"),
    path("job/<int:pk>/v/<int:number>/", views.job_version, name="job_version"),
    path("job/<int:pk>/compare/", views.job_compare, name="job_compare"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="suggestion_detail"),
    path("suggestions/<int:pk>/decide/", views.suggestion_decide, name="suggestion_decide"),
    path("opportunities/", views.opportunities, name="opportunities"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity_detail"),
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/suggested/", views.contact_add_suggested, name="contact_add_suggested"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/log/", views.conversation_add, name="conversation_add"),
    path("contacts/<int:pk>/leaving/", views.contact_leaving, name="contact_leaving"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("contacts/<int:pk>/mentorship/", views.contact_mentorship, name="contact_mentorship"),
    path("team/", views.team, name="team"),
    path("team/suggested/", views.team_add_suggested, name="team_add_suggested"),
    path("team/<int:pk>/remove/", views.team_remove, name="team_remove"),
]

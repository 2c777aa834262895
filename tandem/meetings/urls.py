from django.urls import path

from tandem.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("record/", views.meeting_record, name="record"),
    path("intro/<int:tryout_pk>/", views.intro_new, name="intro_new"),
    path("series/new/", views.series_new, name="series_new"),
    path("series/<int:pk>/", views.series_detail, name="series_detail"),
    path("series/<int:pk>/accept/", views.series_accept, name="series_accept"),
    path("series/<int:pk>/counter/", views.series_counter, name="series_counter"),
    path("series/<int:pk>/decline/", views.series_decline, name="series_decline"),
    path("series/<int:pk>/cancel/", views.series_cancel, name="series_cancel"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("feed/<str:token>.ics", views.calendar_feed, name="feed"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="ics"),
    path("<int:pk>/pick/", views.meeting_pick, name="pick"),
    path("<int:pk>/counter/", views.meeting_counter, name="counter"),
    path("<int:pk>/reschedule/", views.meeting_reschedule, name="reschedule"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/details/", views.meeting_details, name="details"),
    path("<int:pk>/video/", views.meeting_video, name="video"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/notes/", views.note_save, name="note_save"),
    path("<int:pk>/summary/", views.summary_save, name="summary_save"),
    path("<int:pk>/action-items/", views.action_item, name="action_item"),
    path("agenda/<int:pk>/move/", views.agenda_move, name="agenda_move"),
    path("agenda/<int:pk>/done/", views.agenda_done, name="agenda_done"),
    path("agenda/<int:pk>/carry/", views.agenda_carry, name="agenda_carry"),
    path("agenda/<int:pk>/delete/", views.agenda_delete, name="agenda_delete"),
    path("agenda/<int:pk>/solutions/", views.agenda_solution, name="agenda_solution"),
]

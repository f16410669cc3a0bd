from django.urls import path

from . import views
from .feeds import AnnouncementsAtom, AnnouncementsRss

app_name = "belajar"
urlpatterns = [
    path("", views.programme_list, name="programme-list"),
    path("program/<uuid:public_id>/", views.programme_detail, name="programme-detail"),
    path("program/<uuid:public_id>/rekaman/", views.recording_list, name="recording-list"),
    path("pengumuman/<uuid:public_id>/", views.announcement_detail, name="announcement-detail"),
    path("feed/rss/", AnnouncementsRss(), name="feed-rss"),
    path("feed/atom/", AnnouncementsAtom(), name="feed-atom"),
    path("sesi/<uuid:public_id>/", views.session_detail, name="session-detail"),
    path("sesi/<uuid:public_id>/daftar/", views.session_register, name="session-register"),
    path("sesi/<uuid:public_id>/batal/", views.session_cancel, name="session-cancel"),
    path("sesi/<uuid:public_id>/gabung/", views.session_join, name="session-join"),
    path("sesi/<uuid:public_id>/detak/", views.session_heartbeat, name="session-heartbeat"),
    path("sesi/<uuid:public_id>/presensi/", views.session_checkin, name="session-checkin"),
    path("sesi/<uuid:public_id>/kalender.ics", views.session_calendar, name="session-calendar"),
    path("saya/", views.my_learning, name="mine"),
    path("sertifikat/<uuid:public_id>/", views.certificate_download, name="certificate-download"),
    path("jp/", views.jp_mine, name="jp-mine"),
    path("jp/tim/", views.jp_team, name="jp-team"),
    path("jp/pegawai/<uuid:public_id>/", views.jp_employee, name="jp-employee"),
    path("kelola/", views.organise, name="organise"),
    path("kelola/program/<uuid:public_id>/", views.programme_manage, name="programme-manage"),
    path("kelola/sesi/<uuid:public_id>/", views.session_manage, name="session-manage"),
]

"""RSS and Atom feeds of programme announcements (``django.contrib.syndication``)."""

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import Announcement

__all__ = ["AnnouncementsAtom", "AnnouncementsRss"]


class AnnouncementsRss(Feed):
    title = _("ASN learning announcements")
    link = reverse_lazy("belajar:programme-list")
    description = _("New learning programmes and sessions for civil servants.")

    def items(self) -> QuerySet[Announcement]:
        return Announcement.objects.filter(programme__is_published=True).select_related(
            "programme__organiser"
        )[:30]

    def item_title(self, item: Announcement) -> str:
        return item.title

    def item_description(self, item: Announcement) -> str:
        return item.body

    def item_link(self, item: Announcement) -> str:
        return reverse("belajar:announcement-detail", kwargs={"public_id": item.public_id})

    def item_pubdate(self, item: Announcement) -> datetime:
        return item.published_at

    def item_author_name(self, item: Announcement) -> str:
        return item.programme.organiser.name

    def item_categories(self, item: Announcement) -> list[str]:
        return [item.programme.title]


class AnnouncementsAtom(AnnouncementsRss):
    feed_type = Atom1Feed
    subtitle = AnnouncementsRss.description

"""The Wagtail admin of ratings: review moderation, privacy-notice snippet, banned words;
and the star rating (schemes, scoring grid, vetoes, rounds, rating roles)."""

from django.db.models import Count, Q
from django.urls import include, path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.contrib.settings.registry import register_setting
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from merchants.admin.dashboard import Task, TaskPanel
from merchants.admin.permissions import restrict, user_may
from merchants.admin.viewsets import NoDeleteViewSet

from . import admin_views
from .models import RatingRole, Review, ReviewModeration, ReviewReply, ReviewText, Round
from .roles import RatingAccess

# Before the viewset is built: Wagtail refuses a policy registered after its fallback.
# Nobody adds or deletes reviews here; "change" means moderating them.
restrict(Review, ["view", "change"], codenames={"change": "moderate"})
restrict(RatingRole, ["view", "add", "change"])
restrict(ReviewReply, ["view", "change"], codenames={"change": "moderate"})


def _label(name):
    return capfirst(Review._meta.get_field(name).verbose_name)


class ModeratedViewSet(NoDeleteViewSet):
    """Public text staff moderate but never write or delete: "edit" is the moderation page
    (``moderate_view_class``), at ``moderate/<pk>/``, for the listing and the URL finder."""

    moderate_view_class = None
    # Nothing is written here; this keeps Wagtail from building a form.
    form_fields = []
    removed_views = ("add", "delete", "history", "history_results", "usage")

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs["edit_url_name"] = self.get_url_name("edit")
        view_kwargs["moderate_url_name"] = self.get_url_name("edit")
        return view_kwargs

    @property
    def edit_view(self):
        return self.construct_view(self.moderate_view_class)

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        return [
            p if p.name != "edit" else path("moderate/<int:pk>/", self.edit_view, name="edit")
            for p in patterns
        ]


class ReviewViewSet(ModeratedViewSet):
    """Every review with filters for the queue; "edit" is the moderation page."""

    model = Review
    name = "reviews"
    url_prefix = "reviews"
    icon = "comment"
    menu_label = _("Reviews")
    menu_order = 160
    add_to_admin_menu = True
    inspect_view_enabled = True
    search_fields = ["comment", "merchant__code", "merchant__name_zh", "merchant__name_en"]
    filterset_class = admin_views.ReviewFilterSet
    index_view_class = admin_views.ReviewIndexView
    inspect_view_class = admin_views.ReviewInspectView
    moderate_view_class = admin_views.ModerateView
    list_per_page = 50
    # The first column links each review to its moderation page (its inspect page
    # for staff who may only look).
    list_display = [
        "__str__",
        DateColumn("created_at", label=_label("created_at")),
        Column("overall", label=_label("overall")),
        Column("comment", label=_label("comment"), accessor=admin_views.comment_excerpt),
        Column("status", label=_label("status"), accessor="get_status_display"),
        Column("moderation", label=_("Moderation"), accessor="moderation_note"),
    ]
    inspect_view_fields = [
        "merchant",
        "placard",
        "scanned_at",
        "created_at",
        "language",
        "overall",
        "product_quality",
        "service_attitude",
        "honest_pricing",
        "explanation",
        "hygiene",
        "comment",
        "status",
        "hold_reason",
        "open_reports",
        "moderated_at",
        "moderated_by",
        "moderation_reason",
    ]


class ReviewReplyViewSet(ModeratedViewSet):
    """Business replies; held ones (a banned word) wait for a decision, "edit" is moderation."""

    model = ReviewReply
    name = "review_replies"
    url_prefix = "review-replies"
    icon = "comment"
    menu_label = _("Business replies")
    menu_order = 161
    add_to_admin_menu = True
    list_filter = ["status"]
    search_fields = ["text", "review__merchant__code", "review__merchant__name_zh"]
    moderate_view_class = admin_views.ReplyModerateView
    list_per_page = 50
    list_display = [
        TitleColumn("reply", label=_("Reply"), accessor=str, url_name="review_replies:edit"),
        Column("text", label=capfirst(_("reply")), accessor=admin_views.reply_excerpt),
        DateColumn(
            "updated_at", label=capfirst(ReviewReply._meta.get_field("updated_at").verbose_name)
        ),
        Column("status", label=_label("status"), accessor="get_status_display"),
    ]


class ReviewTextViewSet(SnippetViewSet):
    model = ReviewText
    icon = "info-circle"
    menu_label = _("Review page texts")


@hooks.register("register_admin_viewset")
def register_reviews():
    return [ReviewViewSet(), ReviewReplyViewSet()]


register_snippet(ReviewTextViewSet)


@hooks.register("construct_homepage_panels")
def add_rating_round_panel(request, panels):
    """Open rating rounds of the schemes the user works on (two queries), for rating staff."""
    access = RatingAccess.of(request.user)
    if access is None:
        return
    rounds = Round.objects.open()
    if not access.is_regulator:
        rounds = rounds.filter(scheme__association=access.association)
    task = Task(
        _("Rating rounds not yet published"), rounds.count(), reverse("ratings_admin:schemes")
    )
    panels.append(TaskPanel("rating-tasks", _("Star ratings: to do"), [task], order=25))


@hooks.register("construct_homepage_panels")
def add_review_panel(request, panels):
    """Reviews waiting for a moderator: held ones and reported ones (one query)."""
    if not user_may(request.user, Review, "view"):
        return
    counts = Review.objects.aggregate(
        held=Count("pk", filter=Q(status=Review.Status.HELD)),
        reported=Count("pk", filter=Q(status=Review.Status.PUBLISHED, open_reports__gt=0)),
    )
    tasks = [
        Task.linked(
            _("Reviews held for moderation"),
            counts["held"],
            "reviews:index",
            status=Review.Status.HELD,
        ),
        Task.linked(
            _("Reported reviews awaiting a decision"),
            counts["reported"],
            "reviews:index",
            reported="true",
        ),
    ]
    panels.append(TaskPanel("review-tasks", _("Reviews: to do"), tasks, order=20))


register_setting(icon="comment")(ReviewModeration)


@hooks.register("merchant_admin_links")
def merchant_reviews(merchant, user):
    """On a merchant's admin page: its reviews, and those awaiting a decision (one query)."""
    if not user_may(user, Review, "view"):
        return []
    counts = Review.objects.filter(merchant=merchant).aggregate(
        total=Count("pk"),
        waiting=Count(
            "pk",
            filter=Q(status=Review.Status.HELD)
            | Q(status=Review.Status.PUBLISHED, open_reports__gt=0),
        ),
    )
    return [
        Task.linked(_("Reviews"), counts["total"], "reviews:index", q=merchant.code),
        Task.linked(
            _("Reviews awaiting a decision"),
            counts["waiting"],
            "reviews:index",
            q=merchant.code,
            awaiting="true",
        ),
    ]


# -- Star ratings: schemes, scores, vetoes and rounds, for rating staff only -----------------


class RatingsMenuItem(MenuItem):
    """Shown to association staff, regulators and superusers; the views check again."""

    def is_shown(self, request):
        return RatingAccess.of(request.user) is not None


@hooks.register("register_admin_urls")
def register_rating_urls():
    from . import admin_rounds, admin_schemes

    urls = [
        path("", admin_schemes.SchemeIndexView.as_view(), name="schemes"),
        path("schemes/add/", admin_schemes.SchemeEditView.as_view(), name="scheme_add"),
        path("schemes/<int:pk>/", admin_schemes.SchemeEditView.as_view(), name="scheme_edit"),
        path("schemes/<int:pk>/scores/", admin_schemes.GridView.as_view(), name="grid"),
        path("schemes/<int:pk>/vetoes/", admin_schemes.VetoesView.as_view(), name="vetoes"),
        path(
            "vetoes/<int:pk>/withdraw/",
            admin_schemes.WithdrawVetoView.as_view(),
            name="veto_withdraw",
        ),
        path("schemes/<int:pk>/rounds/", admin_rounds.RoundsView.as_view(), name="rounds"),
        path("rounds/<int:pk>/", admin_rounds.RoundView.as_view(), name="round"),
        path(
            "rounds/<int:pk>/plaques/",
            admin_rounds.PrintPlaquesView.as_view(),
            name="print_plaques",
        ),
    ]
    return [path("star-ratings/", include((urls, "ratings_admin"), namespace="ratings_admin"))]


@hooks.register("register_admin_menu_item")
def register_ratings_menu_item():
    return RatingsMenuItem(
        _("Star ratings"), reverse("ratings_admin:schemes"), icon_name="pick", order=150
    )


class RatingRoleViewSet(NoDeleteViewSet):
    """Who is association staff and who is a regulator: granted by staff with the permission."""

    model = RatingRole
    icon = "user"
    menu_label = _("Rating roles")
    add_to_settings_menu = True
    form_fields = ["user", "kind", "association"]
    list_display = ["user", "kind", "association"]


@hooks.register("register_admin_viewset")
def register_rating_roles():
    return RatingRoleViewSet()

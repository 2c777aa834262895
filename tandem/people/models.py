"""People and organisations: reference lists, organisations, associations, profiles and
career histories.

Reference lists (functions, the seniority ladder, industries, guidance kinds, values,
work-style axes, humour kinds) are rows of one model, `ListItem`, seeded by a data
migration and editable in the admin in English and Indonesian. Their slugs are stable
identifiers used by the CSV files and the matching engine.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tandem.people.languages import ISO_639_1

# Spoken languages: ISO 639-1 codes.
SPOKEN_LANGUAGE_CODES: frozenset[str] = frozenset(ISO_639_1)
WORK_STYLE_VALUES = (-1, 0, 1)
MAX_VALUES = 5


class ListKind(models.TextChoices):
    FUNCTION = "function", _("Function")
    SENIORITY = "seniority", _("Seniority")
    INDUSTRY = "industry", _("Industry")
    GUIDANCE = "guidance", _("Guidance kind")
    VALUE = "value", _("Value")
    WORK_STYLE = "work_style", _("Work-style axis")
    HUMOUR = "humour", _("Humour kind")


class ListItemQuerySet(models.QuerySet["ListItem"]):
    def of(self, kind: str) -> ListItemQuerySet:
        return self.filter(kind=kind, active=True)


class ListItem(models.Model):
    """One entry of a reference list, named in English and Indonesian."""

    kind = models.CharField(_("list"), max_length=20, choices=ListKind.choices)
    slug = models.SlugField(_("identifier"), max_length=50)
    name_en = models.CharField(_("name in English"), max_length=100)
    name_id = models.CharField(_("name in Indonesian"), max_length=100, blank=True)
    level = models.PositiveSmallIntegerField(
        _("level"), default=0, help_text=_("Rung on the seniority ladder (1 = intern).")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    low_en = models.CharField(_("low end in English"), max_length=60, blank=True)
    low_id = models.CharField(_("low end in Indonesian"), max_length=60, blank=True)
    high_en = models.CharField(_("high end in English"), max_length=60, blank=True)
    high_id = models.CharField(_("high end in Indonesian"), max_length=60, blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects: ClassVar[ListItemQuerySet] = ListItemQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["kind", "position", "level", "slug"]
        constraints = [models.UniqueConstraint(fields=["kind", "slug"], name="listitem_kind_slug")]
        verbose_name = _("list item")
        verbose_name_plural = _("list items")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def _pick(english: str, indonesian: str) -> str:
        if (translation.get_language() or "en").startswith("id") and indonesian:
            return indonesian
        return english

    @property
    def name(self) -> str:
        return self._pick(self.name_en, self.name_id)

    @property
    def low(self) -> str:
        return self._pick(self.low_en, self.low_id)

    @property
    def high(self) -> str:
        return self._pick(self.high_en, self.high_id)


class Organisation(models.Model):
    """A company or institution. Competitor and partner relations are symmetric."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    industry = models.ForeignKey(
        ListItem,
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"kind": ListKind.INDUSTRY},
        related_name="+",
    )
    website = models.URLField(_("website"), blank=True)
    competitors = models.ManyToManyField(
        "self", verbose_name=_("competitors"), blank=True, symmetrical=True
    )
    partners = models.ManyToManyField(
        "self", verbose_name=_("partners and affiliates"), blank=True, symmetrical=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class OrganisationAdmin(models.Model):
    """Someone who administers an organisation on Tandem (appointed by staff): its people,
    competitors, partners, associations and sign-in domains, and the programme-manager
    right of its people. The one rule: `people.selectors.can_administer`."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="admins",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="administered_organisations",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("appointed"), auto_now_add=True)

    class Meta:
        ordering = ["organisation", "pk"]
        verbose_name = _("organisation administrator")
        verbose_name_plural = _("organisation administrators")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="people_one_org_admin")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"


class OrganisationDomain(models.Model):
    """An email domain of an organisation (for single sign-on). A domain belongs to one
    organisation; `verified` is set by staff once they checked it is theirs."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="domains",
        verbose_name=_("organisation"),
    )
    domain = models.CharField(_("domain"), max_length=253, unique=True)
    verified = models.BooleanField(_("verified"), default=False)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["domain"]
        verbose_name = _("organisation domain")
        verbose_name_plural = _("organisation domains")

    def __str__(self) -> str:
        return self.domain


class Association(models.Model):
    """A professional association people belong to: a fair place to look for a mentor."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("professional association")
        verbose_name_plural = _("professional associations")

    def __str__(self) -> str:
        return self.name


class Visibility(models.TextChoices):
    EVERYONE = "everyone", _("Everyone on Tandem")
    PROGRAMME = "programme", _("Members of my programmes")
    MENTORSHIP = "mentorship", _("Only people in a mentorship with me")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    CHAT = "chat", _("Chat")


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Once a month")
    QUARTERLY = "quarterly", _("Once a quarter")


# Field groups whose visibility each person chooses (see selectors.profile_view_for).
FIELD_GROUPS: dict[str, tuple[str, ...]] = {
    "career": ("career", "manager"),
    "values": ("values", "work_style", "humour"),
    "goals": ("goals", "guidance_wanted", "preferred_mentor_seniority", "preferred_cadence"),
    "contact": ("city", "country", "channels"),
}


def _list_fk(
    kind: str, label: str | object, related: str = "+"
) -> models.ForeignKey[ListItem | None]:
    return models.ForeignKey(
        ListItem,
        verbose_name=label,  # type: ignore[arg-type]
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"kind": kind},
        related_name=related,
    )


def _list_m2m(
    kind: str, label: object, related: str
) -> models.ManyToManyField[ListItem, models.Model]:
    return models.ManyToManyField(
        ListItem,
        verbose_name=label,  # type: ignore[arg-type]
        blank=True,
        limit_choices_to={"kind": kind},
        related_name=related,
    )


class Profile(models.Model):
    """What a person tells Tandem about themselves: one per user, created on demand.

    The time zone and interface language live on the user. `languages` holds the ISO codes
    of the languages spoken, comma-separated ("en,id"); use `language_list`.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    headline = models.CharField(_("headline"), max_length=160, blank=True)
    bio = models.TextField(_("short bio"), max_length=2000, blank=True)
    languages = models.CharField(_("languages spoken"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    channels = models.JSONField(_("preferred channels"), default=list, blank=True)

    # Where they are now (the career history has the path behind it).
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    function = _list_fk(ListKind.FUNCTION, _("function"))
    seniority = _list_fk(ListKind.SENIORITY, _("seniority"))
    industry = _list_fk(ListKind.INDUSTRY, _("industry"))
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("current manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
    )
    # The address the person gave for their manager, kept as given. `manager` is the account
    # it names, linked when one exists and once it is confirmed (people.services): the
    # answer to the person is the same whether or not the address is on Tandem.
    manager_email = models.EmailField(_("manager's email"), blank=True)
    associations = models.ManyToManyField(
        Association, verbose_name=_("professional associations"), blank=True, related_name="members"
    )

    # Values and style.
    values = _list_m2m(ListKind.VALUE, _("values"), "+")
    work_style = models.JSONField(_("work style"), default=dict, blank=True)
    humour = _list_m2m(ListKind.HUMOUR, _("sense of humour"), "+")

    # As a mentee.
    is_mentee = models.BooleanField(_("looking for a mentor"), default=False)
    goals = models.TextField(_("goals"), max_length=2000, blank=True)
    guidance_wanted = _list_m2m(ListKind.GUIDANCE, _("guidance wanted"), "+")
    preferred_mentor_seniority = _list_fk(ListKind.SENIORITY, _("preferred mentor seniority"))
    preferred_cadence = models.CharField(
        _("preferred cadence"), max_length=20, choices=Cadence.choices, blank=True
    )

    # As a mentor.
    is_mentor = models.BooleanField(_("open to mentoring"), default=False)
    guidance_offered = _list_m2m(ListKind.GUIDANCE, _("guidance offered"), "offered_by")
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=0, help_text=_("How many mentees at a time.")
    )
    hours_per_month = models.PositiveSmallIntegerField(_("hours per month"), default=0)
    accepts_external = models.BooleanField(
        _("takes mentees from other organisations"), default=True
    )
    accepts_reverse = models.BooleanField(_("accepts reverse mentoring"), default=False)
    accepts_peer = models.BooleanField(_("accepts peer mentoring"), default=False)
    paused = models.BooleanField(_("not taking requests now"), default=False)

    # Who may see each group of fields.
    visibility_career = models.CharField(
        _("career history visible to"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.EVERYONE,
    )
    visibility_values = models.CharField(
        _("values and style visible to"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.EVERYONE,
    )
    visibility_goals = models.CharField(
        _("goals visible to"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.EVERYONE,
    )
    visibility_contact = models.CharField(
        _("location and channels visible to"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.PROGRAMME,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        permissions = [("import_people", _("Can import and export people as CSV"))]
        indexes = [models.Index(fields=["is_mentor", "paused"], name="profile_mentor_idx")]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def manager_address(self) -> str:
        """The manager's address as the person sees it: as they gave it, or the linked
        account's when an import set the manager."""
        return self.manager_email or (self.manager.email if self.manager else "")

    def visibility_of(self, group: str) -> str:
        return str(getattr(self, f"visibility_{group}"))


class CareerRole(models.Model):
    """One role in a career history. The current role is the one with no end month."""

    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="career_roles", verbose_name=_("profile")
    )
    title = models.CharField(_("title"), max_length=150)
    function = _list_fk(ListKind.FUNCTION, _("function"))
    seniority = _list_fk(ListKind.SENIORITY, _("seniority"))
    industry = _list_fk(ListKind.INDUSTRY, _("industry"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="career_roles",
    )
    start = models.DateField(_("start month"))
    end = models.DateField(_("end month"), null=True, blank=True)

    class Meta:
        ordering = ["-start", "pk"]
        verbose_name = _("career role")
        verbose_name_plural = _("career roles")

    def __str__(self) -> str:
        return self.title

    @property
    def is_current(self) -> bool:
        return self.end is None


class PeopleImport(models.Model):
    """A people CSV upload with more rows than are imported inside the web request: the
    worker imports it (`tasks.import_people_file`) and the uploader follows it on its status
    page or in the API. The file is kept only until the import has run."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Nothing imported")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="people_imports",
        verbose_name=_("uploaded by"),
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    data = models.BinaryField(_("file"), default=b"")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    checked_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    created = models.PositiveIntegerField(_("people added"), default=0)
    updated = models.PositiveIntegerField(_("people updated"), default=0)
    unchanged = models.PositiveIntegerField(_("people unchanged"), default=0)
    errors = models.JSONField(_("problems"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("people import")
        verbose_name_plural = _("people imports")

    def __str__(self) -> str:
        return self.filename or f"#{self.pk}"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, 100 * self.checked_rows // self.total_rows) if self.total_rows else 0

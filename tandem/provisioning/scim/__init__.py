"""The SCIM 2.0 edge (RFC 7643/7644), built on django-scim2: its views' error handling,
authentication hook, discovery endpoints and schemas, with Tandem's adapters, scope and input
validation. Wired in settings.SCIM_SERVICE_PROVIDER and mounted at /scim/v2/.

- Users are accounts: `userName` is the email address (the sign-in; or the client's own user
  name, kept as given, the address then coming from `emails`), `name.formatted` (or
  given and family name joined, or `displayName`) the full name, `preferredLanguage` the
  interface language (English or Indonesian; another language leaves it as it is),
  `timezone` the time zone, `externalId` the client's own id, `active` whether the person may
  sign in. `active: false` and DELETE deactivate through `accounts.services.account_deactivate`.
- Groups are organisations: a token sees its own organisation only, and its members are the
  organisation's provisioned people who work there (their profile's organisation).
- A token reaches only the accounts its organisation provisions (`selectors`); anything else
  is 404, as if it did not exist.

Everything here parses and checks; the writes are `tandem.provisioning.services`.

Modules: `parsing` (bodies and their limits), `adapters` (Users and Groups as django-scim2
sees them), `listing` (filters, pages, attribute selection), `users`, `groups`, and `views`
(the common base, search, discovery). Every name below reads as `scim.<name>`, as before."""

from __future__ import annotations

from tandem.provisioning.scim.adapters import ScimGroupAdapter, ScimUserAdapter
from tandem.provisioning.scim.groups import GroupsView
from tandem.provisioning.scim.listing import (
    GROUP_FILTERS,
    USER_FILTERS,
    AttrMap,
    filter_q,
    list_response,
)
from tandem.provisioning.scim.parsing import parse_user
from tandem.provisioning.scim.users import UsersView, patch_user
from tandem.provisioning.scim.views import (
    NotFoundView,
    ResourceTypesView,
    RootView,
    SchemasView,
    ScimBaseView,
    SearchView,
    ServiceProviderConfigView,
)

__all__ = [
    "GROUP_FILTERS",
    "USER_FILTERS",
    "AttrMap",
    "GroupsView",
    "NotFoundView",
    "ResourceTypesView",
    "RootView",
    "SchemasView",
    "ScimBaseView",
    "ScimGroupAdapter",
    "ScimUserAdapter",
    "SearchView",
    "ServiceProviderConfigView",
    "UsersView",
    "filter_q",
    "list_response",
    "parse_user",
    "patch_user",
]

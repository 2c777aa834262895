"""SCIM 2.0, mounted at /scim/v2/ (not under /api/v1/: its own protocol and its own tokens).
The patterns are django-scim2's; the views are Tandem's, on django-scim2's `SCIMView`."""

from django.urls import re_path

from tandem.provisioning import scim

app_name = "provisioning"

urlpatterns = [
    re_path(r"^$", scim.RootView.as_view(), name="root"),
    re_path(r"^\.search$", scim.RootView.as_view(), name="search"),
    re_path(r"^Users/\.search$", scim.SearchView.as_view(resource="Users"), name="users-search"),
    re_path(r"^Users(?:/(?P<uuid>[^/]+))?$", scim.UsersView.as_view(), name="users"),
    re_path(r"^Groups/\.search$", scim.SearchView.as_view(resource="Groups"), name="groups-search"),
    re_path(r"^Groups(?:/(?P<uuid>[^/]+))?$", scim.GroupsView.as_view(), name="groups"),
    re_path(r"^Me$", scim.RootView.as_view(), name="me"),
    re_path(r"^Bulk$", scim.RootView.as_view(), name="bulk"),
    re_path(
        r"^ServiceProviderConfig$",
        scim.ServiceProviderConfigView.as_view(),
        name="service-provider-config",
    ),
    re_path(
        r"^ResourceTypes(?:/(?P<uuid>[^/]+))?$",
        scim.ResourceTypesView.as_view(),
        name="resource-types",
    ),
    re_path(
        r"^Schemas(?:/(?P<uuid>[^/]+))?$",
        scim.SchemasView.as_view(),
        name="schemas",
    ),
    re_path(r"^(?P<path>.+)$", scim.NotFoundView.as_view(), name="not-found"),
]

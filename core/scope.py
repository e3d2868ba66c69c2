"""Scope: each model declares once which rows a user may touch; `restrict` applies it.

Studied from NetBox's `RestrictedQuerySet.restrict(user, action)`: one function narrows any
queryset of any model to what the user may do with it, and the interfaces (API base viewset,
admin base class, page helper, service guard) call it, so no view filters by hand.

Here the rule is the region tree: a region's key is its 12-digit code and an account is
responsible for one region, so "everything under this street" is one indexed `startswith` on
the code. A model says, with `@scoped(...)` on its class, which path(s) lead to the region its
rows belong to, which rows it deliberately adds for reading only (the catalogue of the levels
above, the national list), and which paths bind a row to one organisation (a provider's staff
see only their own provider's caregivers, records, facilities and residents).

Who is asking is resolved by the app that knows accounts (`regions` registers the resolver with
`@principal_resolver`), and bindings by the app that owns the organisation (`services`
registers "provider" with `@scope_binding`): core imports no project app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .registry import registry

# What the one service guard says when the object is outside the user's region.
OUTSIDE_REGION = _("This is outside your region of responsibility.")

# HTTP methods and what they do to rows (NetBox's HTTP_ACTIONS): only reading may widen.
HTTP_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}
ACTIONS = ("view", "add", "change", "delete")

_CACHE_ATTR = "_eldercare_principal"


# --- who is asking ----------------------------------------------------------------------------


@dataclass
class Principal:
    """An account's scope: the code prefix it may see ('' everything, None nothing)."""

    prefix: str | None
    role: str | None = None
    region_code: str | None = None
    profile: Any = None
    # Codes of the regions above the account's region (outermost first): reading may widen there.
    ancestors: tuple[str, ...] = ()
    user: Any = None
    _bindings: dict[str, frozenset | None] = field(default_factory=dict)

    @property
    def everything(self) -> bool:
        return self.prefix == ""

    def binding(self, name: str) -> frozenset | None:
        """The ids the account is bound to under `name` (None: not bound, sees by region)."""
        if name not in self._bindings:
            found = registry["scope_bindings"][name](self)
            self._bindings[name] = None if found is None else frozenset(found)
        return self._bindings[name]


NOTHING = Principal(prefix=None)
EVERYTHING = Principal(prefix="")

_resolver: list[Callable[[Any], Principal]] = []


def principal_resolver(func: Callable[[Any], Principal]) -> Callable[[Any], Principal]:
    """Register the function that tells an active, non-superuser account's Principal."""
    if _resolver:
        raise ImproperlyConfigured("A principal resolver is registered already.")
    _resolver.append(func)
    return func


def scope_binding(name: str):
    """Register how an account is bound to organisations of one kind ("provider"): a function of
    the Principal giving the ids it is bound to, or None when the account is not bound."""

    def register(func: Callable[[Principal], Iterable[Any] | None]):
        registry["scope_bindings"].add(name, func)
        return func

    return register


def principal(user) -> Principal:
    """Who is asking, loaded once per request (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user.is_superuser:
        found = EVERYTHING
    elif not _resolver:
        raise ImproperlyConfigured("No principal resolver is registered (regions.scope registers it).")
    else:
        found = _resolver[0](user)
        found.user = user
    setattr(user, _CACHE_ATTR, found)
    return found


def forget(user) -> None:
    """Drop the cached scope (after the account's profile changed in this request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


# --- what each model declares -----------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """How one model is scoped.

    `regions`: paths to the row's region (a foreign key to a region, or a code field of the row
    itself); a row is in scope when the region on any of its paths is. `read_above`: a path to a
    region whose rows are also readable (never writable) when it is a region above the account's
    or empty (the national level). `read_also`: a function of the Principal giving a Q of further
    rows readable by design (a published list). `bound`: for each binding ("provider"), the paths
    to the organisation; a bound account sees only rows whose organisation is its own.
    `unscoped`: the model is deliberately the same for every account (a reason is required).
    `public`: the rows published to everyone, signed in or not (a published list's `Q`); they
    are read only through `published()`, by pages that are public by design, and never widen
    what an account's own lists and details show.
    """

    regions: tuple[str, ...] = ()
    read_above: str | None = None
    read_also: Callable[[Principal], Q] | None = None
    bound: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unscoped: str = ""
    public: Q | None = None

    def region_q(self, model: type[Model], prefix: str) -> Q:
        q = Q()
        for path in self.regions:
            q |= Q(**{_code_lookup(model, path): prefix})
        return q


def scoped(
    *regions: str,
    read_above: str | None = None,
    read_also: Callable[[Principal], Q] | None = None,
    unscoped: str = "",
    public: Q | None = None,
    **bound: str | tuple[str, ...],
):
    """Declare a model's scope on its class: `@scoped("elder__residence", provider="provider")`."""
    if not regions and not unscoped:
        raise ImproperlyConfigured("@scoped needs a region path, or unscoped='why'.")
    declaration = Scope(
        regions=tuple(regions),
        read_above=read_above,
        read_also=read_also,
        bound={name: (paths,) if isinstance(paths, str) else tuple(paths) for name, paths in bound.items()},
        unscoped=unscoped,
        public=public,
    )

    def register(model: type[Model]) -> type[Model]:
        registry["scopes"].add(model._meta.label, declaration)
        return model

    return register


def declaration(model: type[Model]) -> Scope:
    """The model's declared scope; a model with none is a programming error, never 'everything'."""
    for klass in model.__mro__:
        meta = getattr(klass, "_meta", None)
        if meta is not None and not meta.abstract and meta.label in registry["scopes"]:
            return registry["scopes"][meta.label]
    raise ImproperlyConfigured(f"{model.__name__} declares no scope: add @scoped(...) to the model.")


def is_declared(model: type[Model]) -> bool:
    try:
        declaration(model)
    except ImproperlyConfigured:
        return False
    return True


_lookups: dict[tuple[type[Model], str], str] = {}


def _walk(model: type[Model], path: str):
    """The fields along a path (a trailing `pk` is the model's primary key)."""
    current = model
    fields = []
    for name in path.split("__"):
        if name == "pk":
            fields.append(current._meta.pk)
            continue
        try:
            f = current._meta.get_field(name)
        except FieldDoesNotExist as exc:
            raise ImproperlyConfigured(f"{model.__name__}: scope path '{path}' does not exist.") from exc
        fields.append(f)
        if f.is_relation and f.related_model is not None:
            current = f.related_model
    return fields


def _code_lookup(model: type[Model], path: str) -> str:
    key = (model, path)
    if key not in _lookups:
        last = _walk(model, path)[-1]
        # A foreign key to a region: its key is the code, so Django compares the local column.
        _lookups[key] = f"{path}__code__startswith" if last.is_relation else f"{path}__startswith"
    return _lookups[key]


_multi: dict[type[Model], bool] = {}


def _many_valued(model: type[Model], decl: Scope) -> bool:
    """Whether a path crosses a to-many relation (then rows are matched by a subquery, no
    duplicates and no DISTINCT)."""
    if model not in _multi:
        paths = [*decl.regions, *[p for ps in decl.bound.values() for p in ps]]
        if decl.read_above:
            paths.append(decl.read_above)
        _multi[model] = any(f.many_to_many or f.one_to_many for p in paths for f in _walk(model, p))
    return _multi[model]


# --- applying it ------------------------------------------------------------------------------


def scope_q(model: type[Model], user, action: str = "view") -> Q | None:
    """The condition for the rows of `model` the user may `action`; None means no row at all."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown scope action {action!r}; one of {', '.join(ACTIONS)}.")
    decl = declaration(model)
    who = principal(user)
    if who.prefix is None:
        return None
    if decl.unscoped:
        return Q()
    q = Q() if who.everything else decl.region_q(model, who.prefix)
    if action == "view" and not who.everything:
        if decl.read_above:
            q |= Q(**{f"{decl.read_above}__in": who.ancestors}) | Q(**{f"{decl.read_above}__isnull": True})
        if decl.read_also is not None:
            q |= decl.read_also(who)
    for name, paths in decl.bound.items():
        if who.everything:
            break
        ids = who.binding(name)
        if ids is None:
            continue
        own = Q()
        for path in paths:
            own |= Q(**{f"{path}__in": sorted(ids)})
        q &= own if ids else Q(pk__in=[])
    return q


def restrict(queryset: QuerySet, user, action: str = "view") -> QuerySet:
    """Only the rows of the queryset the user may `action` (view, add, change, delete)."""
    q = scope_q(queryset.model, user, action)
    if q is None:
        return queryset.none()
    if not q:
        return queryset
    if _many_valued(queryset.model, declaration(queryset.model)):
        return queryset.filter(pk__in=queryset.model._base_manager.filter(q).values("pk"))
    return queryset.filter(q)


def published(queryset: QuerySet) -> QuerySet:
    """The rows of the queryset published to everyone (no account needed): exactly what the
    model's declaration names with `public=`. A model that publishes nothing is a programming
    error here, never "everything" and never a filter written by hand in a view."""
    decl = declaration(queryset.model)
    if decl.public is None:
        raise ImproperlyConfigured(
            f"{queryset.model.__name__} publishes no rows: declare public=Q(...) in its @scoped."
        )
    return queryset.filter(decl.public)


def under(queryset: QuerySet, prefix: str) -> QuerySet:
    """The rows whose region (on any path the model declares) starts with `prefix`: what
    `?region=` means, the same paths as the scope, so a list filters by what decides access."""
    model = queryset.model
    decl = declaration(model)
    if not decl.regions:
        raise ImproperlyConfigured(f"{model.__name__} declares no region path to filter by.")
    q = decl.region_q(model, prefix)
    if _many_valued(model, decl):
        return queryset.filter(pk__in=model._base_manager.filter(q).values("pk"))
    return queryset.filter(q)


def allows(user, obj: Model, action: str = "view") -> bool:
    """Whether the user may `action` this one object (one indexed query)."""
    return restrict(type(obj)._base_manager.filter(pk=obj.pk), user, action).exists()


def in_scope(user, region_code: str | None) -> bool:
    """Whether a region (by code) is within the user's region of responsibility. A national row
    (no region) is within the scope of an account responsible for everything only."""
    prefix = principal(user).prefix
    if prefix is None:
        return False
    return prefix == "" or (region_code is not None and region_code.startswith(prefix))


# --- the one service guard --------------------------------------------------------------------


def require(
    user,
    perm: str | Iterable[str] | None = None,
    *,
    region: str | None | Any = ...,
    obj: Model | None = None,
    action: str = "change",
    message=None,
) -> None:
    """Refuse (PermissionDenied) unless the user holds `perm` and `region` (a code or a region)
    or `obj` is within their scope. One translated message for "outside your region"."""
    if perm is not None:
        perms = [perm] if isinstance(perm, str) else list(perm)
        if not user.has_perms(perms):
            raise PermissionDenied(message or _("You do not have permission to do this."))
    if region is not ...:
        code = getattr(region, "code", region)
        if not in_scope(user, code):
            raise PermissionDenied(message or OUTSIDE_REGION)
    if obj is not None and not allows(user, obj, action):
        raise PermissionDenied(message or OUTSIDE_REGION)

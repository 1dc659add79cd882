"""Request-level protections: oversized requests (413), security headers (CSP and friends),
idle and absolute session expiry, and the second sign-in step for the admin."""

import base64
import hashlib
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

# Inline event handlers that public templates may use; CSP allows exactly these by hash
# ('unsafe-hashes'). None today: print buttons use themes/print.js.
ALLOWED_INLINE_HANDLERS = ()


def csp_hash(source):
    digest = hashlib.sha256(source.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


DEFAULT_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"]
    + (
        ["'unsafe-hashes'", *map(csp_hash, ALLOWED_INLINE_HANDLERS)]
        if ALLOWED_INLINE_HANDLERS
        else []
    ),
    # Themes may set colours in style attributes; styles cannot run code.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


def admin_prefix():
    return reverse("wagtailadmin_home")


def media_origin():
    """The origin media files are served from when it is not the site's own (object storage:
    production's AWS_STORAGE_BUCKET_NAME), else None."""
    from django.core.files.storage import default_storage

    try:
        url = urlsplit(default_storage.url("csp-probe"))
    except Exception:  # a storage that cannot build URLs offline: images from the site only
        return None
    return f"{url.scheme}://{url.netloc}" if url.scheme and url.netloc else None


def content_security_policy():
    """The public pages' policy: DEFAULT_CSP with GONGKAI_CSP's directives replacing its own."""
    policy = {**DEFAULT_CSP, **getattr(settings, "GONGKAI_CSP", {})}
    origin = media_origin()
    if origin:
        policy["img-src"] = [*policy.get("img-src", []), origin]
        policy["media-src"] = [*policy.get("media-src", ["'self'"]), origin]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items() if sources)


class SecurityHeadersMiddleware:
    """Content-Security-Policy on public responses (the Wagtail admin relies on inline scripts
    and gets none), Permissions-Policy and X-Frame-Options on every response. Django's
    SecurityMiddleware sets the others (nosniff, Referrer-Policy, HSTS).

    Placed outside every middleware that may answer on its own (RequestGuardMiddleware's 413
    and 400, Django's 400 for a bad Host or a suspicious request, the page cache's hits), so
    no response leaves without these headers. X-Frame-Options is set here too because
    Django's XFrameOptionsMiddleware sits deep inside and never sees such answers; a value it
    or a view set (the admin preview's SAMEORIGIN, an exempt view) is kept."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = None

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith(admin_prefix()):
            if self.policy is None:  # built at first use: settings and storage are ready
                self.policy = content_security_policy()
            response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not getattr(response, "xframe_options_exempt", False):
            response.headers.setdefault(
                "X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()
            )
        return response


def max_request_size(path):
    if path.startswith(admin_prefix()):
        return getattr(settings, "GONGKAI_MAX_ADMIN_REQUEST_SIZE", 200 * 1024 * 1024)
    return getattr(settings, "GONGKAI_MAX_REQUEST_SIZE", 20 * 1024 * 1024)


class RequestGuardMiddleware:
    """Refuse, before anything reads them: oversized requests (413 with a readable page; set
    the same limit in the reverse proxy, nginx's client_max_body_size) and NUL characters in
    the query string (400: PostgreSQL cannot store or compare them)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = max_request_size(request.path_info)
        if length > limit:
            message = _(
                "The data sent is too large (%(size)s); at most %(max)s can be sent at once. "
                "Make the files smaller or send them in several parts."
            ) % {"size": filesizeformat(length), "max": filesizeformat(limit)}
            response = self.refusal(_("Too much data sent"), message, status=413)
            response["Connection"] = "close"  # the unread body must not become the next request
            return response
        if "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.path_info:
            return self.refusal(
                _("Invalid address"),
                _("The address contains characters that are not allowed."),
                status=400,
            )
        return self.get_response(request)

    def refusal(self, title, message, status):
        html = render_to_string(
            "security/refused.html", {"title": title, "message": message}, request=None
        )
        return HttpResponse(html, status=status)


def idle_timeout():
    return getattr(settings, "GONGKAI_SESSION_IDLE_TIMEOUT", 30 * 60)


class SessionTimeoutMiddleware:
    """Sign out a user idle for GONGKAI_SESSION_IDLE_TIMEOUT seconds, or signed in for longer
    than SESSION_COOKIE_AGE (the server-side session would otherwise keep sliding)."""

    LAST_SEEN = "security_last_seen"
    LOGIN_AT = "security_login_at"
    # Write the session at most this often just to record activity.
    TOUCH_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # No session cookie, no session to expire: public pages stay free of Vary: Cookie.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self.check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def check(self, request):
        now = time.time()
        session = request.session
        last_seen = session.get(self.LAST_SEEN)
        login_at = session.get(self.LOGIN_AT)
        if last_seen and now - last_seen > idle_timeout():
            reason = _("You were signed out after %(minutes)d minutes without activity.") % {
                "minutes": idle_timeout() // 60
            }
        elif login_at and now - login_at > settings.SESSION_COOKIE_AGE:
            reason = _("You were signed out: sessions last at most %(hours)d hours.") % {
                "hours": settings.SESSION_COOKIE_AGE // 3600
            }
        else:
            if not last_seen or now - last_seen > self.TOUCH_EVERY:
                session[self.LAST_SEEN] = now
            return None
        request._security_logout_reason = "expired"
        logout(request)
        if request.path_info.startswith(admin_prefix()):
            messages.warning(request, reason)
            login_url = reverse("wagtailadmin_login")
            return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
        return None


class TwoFactorMiddleware:
    """Admin users with an authenticator app, or whose role requires one, pass the second step
    (/admin/2fa/verify/ or, without an app yet, /admin/2fa/setup/) before using the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.check(request)
        return response if response is not None else self.get_response(request)

    def check(self, request):
        from . import twofactor

        prefix = admin_prefix()
        path = request.path_info
        if not path.startswith(prefix) and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # No session, no signed-in user to check; and not reading the session keeps public
            # pages free of Vary: Cookie.
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not path.startswith(prefix):
            # Outside the admin (document downloads, public pages), a session that has not
            # passed its second step is no signed-in user: it gets what anyone gets.
            if not twofactor.is_verified(request) and (
                twofactor.device_of(user) is not None or twofactor.required_for(user)
            ):
                request.user = AnonymousUser()
            return None
        exempt = (
            reverse("wagtailadmin_login"),
            reverse("wagtailadmin_logout"),
            f"{prefix}2fa/",
            f"{prefix}jsi18n/",
        )
        if path.startswith(exempt) or twofactor.is_verified(request):
            return None
        if twofactor.device_of(user) is not None:
            target = "security_2fa_verify"
        elif twofactor.required_for(user):
            target = "security_2fa_setup"
        else:
            return None
        next_url = request.get_full_path() if request.method == "GET" else prefix
        return redirect(f"{reverse(target)}?{urlencode({'next': next_url})}")

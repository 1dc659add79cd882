"""Admin views: the second sign-in step, setting up an authenticator app, and the web team's
account actions (deactivate instead of delete, remove a lost authenticator app)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from . import lockout, twofactor


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": ""}
        ),
    )


def _next_url(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse("wagtailadmin_home")


def _refuse_if_locked(request):
    user = request.user
    lock = lockout.current_lock(user.get_username(), lockout.client_ip(request))
    if lock is None:
        return None
    logout(request)
    messages.error(request, lock.message)
    return redirect("wagtailadmin_login")


def _count_wrong_code(request):
    user = request.user
    ip = lockout.client_ip(request)
    log(user, "security.2fa_failed", user=user, data={"ip": ip})
    for lock in lockout.register_failure(user.get_username(), ip):
        log(user, "security.lockout", user=None, data={"ip": ip, "scope": lock.kind})


def verify(request):
    device = twofactor.device_of(request.user)
    if device is None:
        return redirect(f"{reverse('security_2fa_setup')}?next={_next_url(request)}")
    refused = _refuse_if_locked(request)
    if refused:
        return refused
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.verify_device(device, form.cleaned_data["code"]):
            twofactor.mark_verified(request)
            return redirect(_next_url(request))
        _count_wrong_code(request)
        refused = _refuse_if_locked(request)
        if refused:
            return refused
        form.add_error("code", _("This code is wrong or was already used. Enter the current code."))
    return TemplateResponse(
        request, "security/verify.html", {"form": form, "next": _next_url(request)}
    )


def setup(request):
    """Set up (or, once verified, replace) the user's authenticator app."""
    if twofactor.device_of(request.user) is not None and not twofactor.is_verified(request):
        # Whoever knows only the password must not swap in their own app.
        return redirect(f"{reverse('security_2fa_verify')}?next={_next_url(request)}")
    refused = _refuse_if_locked(request)
    if refused:
        return refused
    secret = request.session.get(twofactor.PENDING_SECRET_KEY)
    if not secret:
        secret = request.session[twofactor.PENDING_SECRET_KEY] = twofactor.new_secret()
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.confirm_enrolment(request.user, secret, form.cleaned_data["code"]):
            request.session.pop(twofactor.PENDING_SECRET_KEY, None)
            twofactor.mark_verified(request)
            log(request.user, "security.2fa_enrolled", user=request.user)
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(_next_url(request))
        _count_wrong_code(request)
        refused = _refuse_if_locked(request)
        if refused:
            return refused
        form.add_error("code", _("This code is wrong. Check the time on your phone and try again."))
    uri = twofactor.provisioning_uri(request.user, secret)
    return TemplateResponse(
        request,
        "security/setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "secret": secret,
            "uri": uri,
            "qr_svg": twofactor.qr_svg(uri),
            "required": twofactor.required_for(request.user),
        },
    )


def _managed_user(request, user_id):
    """A user the requesting user may manage (the rules of Wagtail's own user views)."""
    User = get_user_model()
    target = get_object_or_404(User, pk=user_id)
    if not request.user.has_perm(f"{User._meta.app_label}.change_{User._meta.model_name}"):
        raise PermissionDenied
    if target.is_superuser and not request.user.is_superuser:
        raise PermissionDenied
    return target


def _confirm(request, target, heading, text, button):
    return TemplateResponse(
        request,
        "security/confirm.html",
        {"target": target, "heading": heading, "text": text, "button": button},
    )


def deactivate_user(request, user_id):
    target = _managed_user(request, user_id)
    if target == request.user:
        raise PermissionDenied
    if request.method != "POST":
        return _confirm(
            request,
            target,
            _("Deactivate “%(user)s”") % {"user": target},
            _(
                "The account can no longer sign in. Its pages, revisions and history stay, with "
                "its name. Reactivate it from the user's edit page if needed."
            ),
            _("Deactivate"),
        )
    if target.is_active:
        target.is_active = False
        target.save(update_fields=["is_active"])  # logged by security.audit
        messages.success(
            request,
            _("Account “%(user)s” is deactivated; its history is kept.") % {"user": target},
        )
    return redirect("wagtailusers_users:index")


def reset_2fa(request, user_id):
    target = _managed_user(request, user_id)
    device = twofactor.device_of(target)
    if device is None:
        return redirect("wagtailusers_users:index")
    if request.method != "POST":
        return _confirm(
            request,
            target,
            _("Remove the authenticator app of “%(user)s”") % {"user": target},
            _(
                "Do this when the phone is lost or replaced. At the next sign-in they set up a "
                "new app (if their role requires one) or sign in with the password only."
            ),
            _("Remove authenticator app"),
        )
    device.delete()
    log(target, "security.2fa_reset", user=request.user)
    messages.success(
        request,
        _("The authenticator app of “%(user)s” is removed.") % {"user": target},
    )
    return redirect("wagtailusers_users:index")

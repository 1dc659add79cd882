from django.contrib.auth.backends import ModelBackend

from . import lockout


class LockoutModelBackend(ModelBackend):
    """Django's backend, refusing locked-out names and addresses whatever the login path
    (the admin's login form also says why: security.forms.LoginForm)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if lockout.current_lock(username, lockout.client_ip(request)):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

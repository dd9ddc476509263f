"""Staff sign-in: a TOTP code from an authenticator app after the password (django-otp), enrolment only through
a one-time link an administrator creates, and Wagtail's password reset sent by the worker and throttled.

The middleware (middleware.py) sends a signed-in but unverified user to /admin/2fa/ from every admin page.
"""

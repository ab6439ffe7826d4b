"""WSGI entry point for gunicorn: `gunicorn moderation.wsgi:app`."""

from moderation import logs
from moderation.app import create_app
from moderation.services import build_services
from moderation.settings import Settings

_settings = Settings.from_env()
logs.configure(level=_settings.log_level, fmt=_settings.log_format)
_services = build_services(_settings)
# A broken rules file is logged when it is saved, not when the next comment needs the rules.
_services.rules.watch()
app = create_app(services=_services)

import os

from django.core.asgi import get_asgi_application

from abdi.core.serving import settle

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
application = get_asgi_application()
# Every view loaded, and what is loaded kept out of the garbage collector's full passes.
settle()

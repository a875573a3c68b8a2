"""The WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
from hotline import create_app_or_exit

app = create_app_or_exit()

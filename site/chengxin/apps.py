from django.apps import AppConfig


class ChengxinConfig(AppConfig):
    """The project layer as an app, so its system checks are registered."""

    name = "chengxin"
    verbose_name = "Chengxin site"

    def ready(self):
        from . import proxies  # noqa: F401  (registers the proxy deployment check)

"""The desk's admin site: branded "Newsroom desk", landing on the inbox.

`newsroom.apps.NewsroomAdminConfig` makes it the default site, so `django.contrib.admin.site`
is this site. Each app registers its own model admins in its `AppConfig.ready()`
(`negotiations.admin.register`, `articles.admin.register`), not at import time.
"""

from __future__ import annotations

from django.contrib.admin import AdminSite


class NewsroomAdminSite(AdminSite):
    site_header = "Newsroom desk"
    site_title = "Newsroom desk"
    # The landing page: the inbox of each role (newsroom/templates/admin/index.html), with the
    # list of models below it.
    index_title = "Your desk"
    # "View site": the readers' list of published articles.
    site_url = "/articles/"

"""What projects offer to subscribers (``subscriptions/topics.py``): new projects
(``projects.new``, a project published for the first time) and one project's updates
(``projects.project``, ``object_id`` = its id; followed from the project's page). Each project
and each update is announced once."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.blueprints.subscriptions.topics import Topic, in_language, notify, register_topic
from portal.i18n import localized_plain
from portal.tenancy.links import message_url

NEW = "projects.new"
ONE = "projects.project"


def _title(project_id: int) -> str | None:
    from portal.blueprints.projects.queries import public_project

    project = public_project(project_id)
    return localized_plain(project.text("title")) if project is not None else None


def register() -> None:
    register_topic(Topic(NEW, _l("Infrastructure projects"), feature="projects", order=40))
    register_topic(Topic(ONE, _l("A project's updates"), feature="projects",
                         object_label=_title, listed=False, order=41))


def announce_project(project) -> None:
    """Tell the subscribers of new projects about ``project`` (flushes)."""
    title = in_language(project.title, project.title_en)
    notify(NEW, item=f"project:{project.id}",
           url=message_url("projects.show", project_id=project.id),
           subject=LazyString(lambda: _("New project: %(title)s", title=str(title))),
           lines=[in_language(project.place, project.place_en),
                  in_language(project.description, project.description_en)])


def announce_update(project, update) -> None:
    """Tell the subscribers of ``project`` about ``update`` (flushes)."""
    title = in_language(project.title, project.title_en)
    notify(ONE, object_id=project.id, item=f"project_update:{update.id}",
           url=message_url("projects.show", project_id=project.id),
           subject=LazyString(lambda: _("News of the project “%(title)s”", title=str(title))),
           lines=[in_language(update.body, update.body_en)])

"""The public catalogue: the list (search words, a department) and a service's page."""

from __future__ import annotations

from flask import abort, request

from portal.blueprints.municipal_services import bp, catalogue
from portal.blueprints.municipal_services.forms import MODE_LABELS
from portal.blueprints.municipal_services.models import Service
from portal.extensions import get_or_404
from portal.web.inputs import int_arg
from portal.web.rendering import render


def published(service_id: int) -> Service:
    service = get_or_404(Service, service_id)
    if not service.is_published:
        abort(404)
    return service


@bp.get("/")
def index():
    q = (request.args.get("q") or "").strip()[:100]
    department_id = int_arg("department", None, minimum=1)
    services = catalogue.search(q, department_id)
    return render("municipal_services/index.html", block="results", services=services, q=q,
                  department_id=department_id, departments=catalogue.departments(),
                  mode_labels=MODE_LABELS, fee_text=catalogue.fee_text)


@bp.get("/<int:service_id>")
def show(service_id: int):
    service = published(service_id)
    return render("municipal_services/show.html", service=service, mode_labels=MODE_LABELS,
                  fee=catalogue.fee_text(service))


def service_pages():
    """The catalogue and every published service, for sitemap.xml."""
    from sqlalchemy import select

    from portal.extensions import db

    yield "municipal_services.index", {}
    for service_id in db.session.scalars(select(Service.id).where(Service.is_published.is_(True))
                                         .order_by(Service.id)):
        yield "municipal_services.show", {"service_id": service_id}

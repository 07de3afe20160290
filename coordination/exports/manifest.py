"""What the background-export service wires into the application (see coordination/manifest.py).

Its strings belong to the ``core`` catalogue (pages, audit export) and to ``workgroups``
(document helpers), so it declares no catalogue of its own.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coordination.exports.views import root_bp
from coordination.manifest import Access, Manifest

ROUTES: dict[str, str] = {
    "exports.job_list": Access.AUTH,
    "exports.job_detail": Access.REQUESTER,
    "exports.job_download": Access.REQUESTER,
}

TABLE_LABELS = {
    "export_job": _l("Exports of data"),
}

MANIFEST = Manifest(
    name="exports",
    domain=False,
    blueprints=(root_bp,),
    routes=ROUTES,
    table_labels=TABLE_LABELS,
    # a person's own exports: copies of data made for them, deleted when they are erased
    uploaded_files={"export_job": "personal"},
)

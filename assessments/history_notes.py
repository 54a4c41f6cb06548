"""The notes the portal itself writes beside a change of a report or an assessment: the reason in
its history ("Lưu", "Gửi duyệt", …) and the comment of a staff entry in its workflow log. They
are registered with core/notes.py, which stores them in the portal's own language and shows them
(and the shared ones, such as "Nhập từ tệp %(name)s") in the reader's language; what people
wrote (a return comment, a reopening reason) is shown as written."""

from django.utils.translation import gettext_lazy as _

from core import notes

from .models import WorkflowEvent

STAFF_ENTRY_NOTE = _("Cán bộ Sở nhập thay cơ sở; duyệt khi lưu.")
# The reports the demo data (ops/demo_reports.py) creates.
DEMO_DATA_NOTE = _("Dữ liệu trình diễn")

notes.register(*(action.label for action in WorkflowEvent.Action), STAFF_ENTRY_NOTE, DEMO_DATA_NOTE)

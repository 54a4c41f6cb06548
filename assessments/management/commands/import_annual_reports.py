from assessments import importing
from facilities.management.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Nhập báo cáo năm của các cơ sở từ tệp CSV hoặc XLSX (DESIGN §5), cùng cách kiểm tra như "
        "trang web; báo cáo nhập vào được duyệt ngay, nhập lại thì thay thế. Có lỗi thì in mỗi lỗi "
        "một dòng `row N, column C: message`, không ghi gì, mã thoát 1."
    )
    importing = importing
    done_note = " (đã duyệt)"

    def counts(self, plan) -> str:
        return f"thêm mới {plan.to_create}, thay thế {plan.to_replace} báo cáo"

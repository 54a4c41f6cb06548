from facilities import importing
from facilities.management.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Nhập danh sách cơ sở SXCN từ tệp CSV hoặc XLSX (DESIGN §5), cùng cách kiểm tra như trang "
        "web. Có lỗi thì in mỗi lỗi một dòng `row N, column C: message`, không ghi gì, mã thoát 1."
    )
    importing = importing

    def counts(self, plan) -> str:
        return f"thêm mới {plan.to_create}, cập nhật {plan.to_update}, giữ nguyên {plan.unchanged}"

from django.core.management.base import BaseCommand

from tuyengiao.audit.services import begin_correlation
from tuyengiao.demo.build import build_demo
from tuyengiao.demo.org import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Nạp tổ chức, tài khoản và dữ liệu mẫu (tỉnh Thái Nguyên); chạy lại không tạo trùng."

    def handle(self, *args, **options):
        begin_correlation()
        accounts = build_demo()
        self.stdout.write("")
        self.stdout.write("Tài khoản mẫu (mật khẩu chung: %s)" % DEMO_PASSWORD)
        for account, user in accounts:
            self.stdout.write(
                f"  {account.username:<16} {user.get_role_display():<18} {user.unit.name}"
            )
        self.stdout.write("")

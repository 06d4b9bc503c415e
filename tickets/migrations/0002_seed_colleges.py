from django.db import migrations

# The colleges as they were when this migration was written, frozen here so
# that editing tickets/colleges.py later never changes what a fresh install
# gets from this step (a later migration adds or renames colleges).
COLLEGES = [
    ("sice", "信息与通信工程学院", "School of Information and Communication Engineering"),
    ("see", "电子科学与工程学院", "School of Electronic Science and Engineering"),
    ("mse", "材料与能源学院", "School of Materials and Energy"),
    ("mee", "机械与电气工程学院", "School of Mechanical and Electrical Engineering"),
    ("oe", "光电科学与工程学院", "School of Optoelectronic Science and Engineering"),
    ("auto", "自动化工程学院", "School of Automation Engineering"),
    ("res", "资源与环境学院", "School of Resources and Environment"),
    ("scse", "计算机科学与工程学院（网络空间安全学院）", "School of Computer Science and Engineering"),
    ("sise", "信息与软件工程学院", "School of Information and Software Engineering"),
    ("saa", "航空航天学院", "School of Aeronautics and Astronautics"),
    ("math", "数学科学学院", "School of Mathematical Sciences"),
    ("phys", "物理学院", "School of Physics"),
    ("med", "医学院", "School of Medicine"),
    ("life", "生命科学与技术学院", "School of Life Science and Technology"),
    ("mgmt", "经济与管理学院", "School of Management and Economics"),
    ("spa", "公共管理学院", "School of Public Affairs and Administration"),
    ("sfl", "外国语学院", "School of Foreign Languages"),
    ("marx", "马克思主义学院", "School of Marxism"),
    ("ic", "集成电路科学与工程学院（示范性微电子学院）", "School of Integrated Circuit Science and Engineering"),
    ("ifs", "基础与前沿研究院", "Institute of Fundamental and Frontier Sciences"),
    ("glasgow", "格拉斯哥学院", "Glasgow College"),
    ("ai", "智能计算研究院", "Institute for Intelligent Computing"),
]


def seed(apps, schema_editor):
    College = apps.get_model("tickets", "College")
    for code, name, name_en in COLLEGES:
        College.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""Write a spreadsheet of N candidate messages for the import benchmark (and for trying the page).

    .venv/bin/python bench/make_import_file.py 100000 bench/out/import_100k.csv
    .venv/bin/python bench/make_import_file.py 10000 bench/out/import_10k.xlsx --chinese-headers
    .venv/bin/python bench/make_import_file.py 1000 bench/out/g.csv --encoding gb18030 --bad-every 9

Messages are the labelled dev set's texts with a varying tail, so (nearly) every
row is distinct and the triage engine cannot coast on repeats. Streamed: the
CSV writer and openpyxl's write-only mode keep memory flat.
"""

import argparse
import csv
import json
import random
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = Path("/work/shared/triage/dev.jsonl")
FALLBACK = [
    "企业微信收不到验证码",
    "统一身份认证忘记密码了怎么办",
    "鸿蒙手机关注不了企业号",
    "激活后一直没有拉群",
]
COLLEGES = [
    "sice",
    "see",
    "信息与通信工程学院",
    "计算机科学与工程学院（网络空间安全学院）",
    "math",
    "phys",
    "",
    "",
]
CHANNELS = ["QQ", "企业微信", "邮件", "qq", "wechat", "email"]
HEADERS_EN = ["text", "channel", "candidate_number", "college", "contact", "created_at"]
HEADERS_ZH = ["内容", "渠道", "考生号", "学院", "联系方式", "时间"]
TAILS = ["", "谢谢老师", "急！", "麻烦了", "在线等", "请问怎么办", "求助", "老师您好"]


def messages():
    if DEV.exists():
        return [
            json.loads(line)["text"]
            for line in DEV.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    return FALLBACK


def rows(n, bad_every=0, seed=7):
    rng = random.Random(seed)
    texts = messages()
    start = datetime(2026, 3, 1, 8, 0)
    for i in range(n):
        text = f"{rng.choice(texts)} {rng.choice(TAILS)}（{seed}-{i}）"
        row = [
            text,
            rng.choice(CHANNELS),
            f"1061470000{i % 100000:05d}",
            rng.choice(COLLEGES),
            f"1{rng.randint(3, 9)}{rng.randint(0, 999999999):09d}"
            if i % 3
            else f"cand{i}@example.com",
            (start + timedelta(seconds=37 * i)).strftime("%Y-%m-%d %H:%M:%S"),
        ]
        if bad_every and i % bad_every == bad_every - 1:
            row[[0, 3, 5][i % 3]] = ["", "火星学院", "2026-02-30"][i % 3]
        yield row


def write(n, path, *, encoding="utf-8", chinese_headers=False, bad_every=0, seed=7):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = HEADERS_ZH if chinese_headers else HEADERS_EN
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("tickets")
        sheet.append(header)
        for row in rows(n, bad_every, seed):
            sheet.append(row)
        workbook.save(path)
    else:
        with open(path, "w", encoding=encoding, newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(rows(n, bad_every, seed))
    return path


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("rows", type=int)
    parser.add_argument("path")
    parser.add_argument(
        "--encoding", default="utf-8", help="utf-8, utf-8-sig or gb18030 (CSV only)"
    )
    parser.add_argument("--chinese-headers", action="store_true")
    parser.add_argument(
        "--bad-every",
        type=int,
        default=0,
        help="make every Nth row bad (empty text, unknown college, bad date)",
    )
    parser.add_argument("--seed", type=int, default=7, help="another seed, other messages")
    args = parser.parse_args()
    path = write(
        args.rows,
        args.path,
        encoding=args.encoding,
        chinese_headers=args.chinese_headers,
        bad_every=args.bad_every,
        seed=args.seed,
    )
    print(f"{path}: {args.rows} rows, {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()

from reports import charts


def test_bars_scale_to_the_largest_and_name_a_cjk_font():
    svg = charts.hbar_svg(
        [{"label": "收不到身份验证消息", "count": 6}, {"label": "手机验证码", "count": 3}],
        title="按问题分类",
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "Noto Sans CJK SC" in svg and "Microsoft YaHei" in svg
    assert "收不到身份验证消息" in svg and "按问题分类" in svg
    assert 'width="294.0"' in svg and 'width="147.0"' in svg  # 6 fills the bar area, 3 half of it


def test_labels_are_escaped_and_long_ones_shortened():
    svg = charts.hbar_svg([{"label": "<b>" + "长" * 30, "count": 1}], title="t")
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "…" in svg


def test_empty_chart_says_so():
    assert "本期没有数据" in charts.hbar_svg([], title="按渠道")


def test_days_chart_has_a_column_pair_per_day():
    days = [{"day": f"2026-11-{d}", "new": d - 15, "resolved": 1} for d in range(16, 23)]
    svg = charts.days_svg(days, title="每日")
    assert svg.count("<rect") == 2 + 2 * 7  # legend + new/resolved per day
    assert "11-16" in svg and "周一" in svg and "周日" in svg


def test_email_bar_rows_are_percentages():
    rows = charts.bar_rows([{"label": "a", "count": 4}, {"label": "b", "count": 1}])
    assert [r["pct"] for r in rows] == [100.0, 25.0]


def test_a_weeks_daily_chart_fits_a_phone_at_its_own_size():
    import re

    days = [{"day": f"2026-11-{d:02d}", "new": d, "resolved": d // 2} for d in range(16, 23)]
    svg = charts.days_svg(days, title="每日")
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    assert width <= 360  # a 390 px phone shows it unscaled, its labels at 13 px
    month = [{"day": f"2026-11-{d:02d}", "new": 1, "resolved": 1} for d in range(1, 31)]
    assert int(re.search(r'width="(\d+)"', charts.days_svg(month, title="x")).group(1)) > 1000
